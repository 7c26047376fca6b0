import type { Db } from '../../db/database.js';
import type { RefusalCode } from '../../errors/refusal-codes.js';
import { expireWaiting } from '../../messages/transitions.js';
import { addDeadLetters } from '../../messages/dead-letters.js';
import { appendMessageEvents } from '../../messages/message-events.js';
import { overdueWaiting } from '../../messages/outbox-queries.js';

const EXPIRED: RefusalCode = 'expired';

/** Queued messages past their validity end `expired` (and are listed as dead letters): never sent late. */
export async function expireOverdue(db: Db, now: number, limit = 1000): Promise<number> {
  const rows = await overdueWaiting(db, now, limit);
  if (rows.length === 0) return 0;
  return db.transaction().execute(async (tx) => {
    // Conditional on still waiting: a message a dispatcher claimed meanwhile is not touched.
    const ids = await expireWaiting(
      tx,
      rows.map((r) => r.id),
      now,
      { code: EXPIRED, message: 'Validity ended before it could be sent.' },
    );
    const done = rows.filter((r) => ids.has(r.id));
    if (done.length === 0) return 0;
    const reason = (r: (typeof rows)[number]) => `Not sent before its validity ended at ${new Date(r.valid_until!).toISOString()}.`;
    await addDeadLetters(tx, done.map((r) => ({ messageId: r.id, workspaceId: r.workspace_id, reason: reason(r), errorCode: EXPIRED, attempts: r.attempts, at: now })));
    await appendMessageEvents(tx, done.map((r) => ({ messageId: r.id, kind: 'status', status: 'expired', at: now, detail: { reason: reason(r) } })));
    return done.length;
  });
}

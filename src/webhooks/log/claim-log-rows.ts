import type { Db } from '../../db/database.js';
import type { DialectName } from '../../db/dialect.js';
import type { WebhookProvider } from '../tables.js';

export interface ClaimedLogRow {
  seq: number;
  provider: WebhookProvider;
  received_at: number;
  sender_id: string | null;
  body: Buffer;
  headers: string;
  attempts: number;
}

/**
 * Claims up to `limit` due deliveries in log order for one lease: their `next_attempt_at` moves a
 * lease ahead, so if this worker dies they come due again. On PostgreSQL `FOR UPDATE SKIP LOCKED`
 * lets several workers share the log without waiting on each other; SQLite has one writer anyway.
 */
export async function claimLogRows(db: Db, dialect: DialectName, input: { workerId: string; now: number; limit: number; leaseMs: number }): Promise<ClaimedLogRow[]> {
  let due = db
    .selectFrom('webhook_log')
    .select('seq')
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', input.now)
    .orderBy('seq')
    .limit(input.limit);
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();
  const rows = await db
    .updateTable('webhook_log')
    .set((eb) => ({ next_attempt_at: input.now + input.leaseMs, attempts: eb('attempts', '+', 1), claimed_by: input.workerId, claimed_at: input.now }))
    .where('seq', 'in', due)
    .returning(['seq', 'provider', 'received_at', 'sender_id', 'body', 'headers', 'attempts'])
    .execute();
  return rows.sort((a, b) => a.seq - b.seq);
}

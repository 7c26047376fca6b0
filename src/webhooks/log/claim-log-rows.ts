import type { Db } from '../../db/database.js';
import type { DialectName } from '../../db/dialect.js';
import type { WebhookProvider } from '../tables.js';
import { lockedForClaim } from '../../db/claim-lock.js';

export interface ClaimedLogRow {
  seq: number;
  provider: WebhookProvider;
  received_at: number;
  sender_id: string | null;
  body: Buffer;
  headers: string;
  /** Attempts including this one. */
  attempts: number;
}

const COLUMNS = ['seq', 'provider', 'received_at', 'sender_id', 'body', 'headers', 'attempts'] as const;

/**
 * Takes up to `limit` due deliveries, oldest first (in the order of the index on
 * (state, next_attempt_at, seq), so the read is `limit` entries however long the backlog).
 *
 * On PostgreSQL, several workers share the log: the rows are claimed for one lease (`FOR UPDATE
 * SKIP LOCKED`, `next_attempt_at` pushed a lease ahead, so a dead worker's rows come due again).
 * On SQLite one process processes the log, so nothing is written: rows stay due until completed.
 * Should a second process (a replay) take the same rows, processing is idempotent and the second
 * pass finds everything already applied.
 */
export async function claimLogRows(db: Db, dialect: DialectName, input: { workerId: string; now: number; limit: number; leaseMs: number }): Promise<ClaimedLogRow[]> {
  const due = db.selectFrom('webhook_log').where('state', '=', 'pending').where('next_attempt_at', '<=', input.now).orderBy('next_attempt_at').orderBy('seq').limit(input.limit);
  if (dialect === 'sqlite') {
    const rows = await due.select(COLUMNS).execute();
    return rows.map((row) => ({ ...row, attempts: row.attempts + 1 })).sort((a, b) => a.seq - b.seq);
  }
  const rows = await db
    .updateTable('webhook_log')
    .set((eb) => ({ next_attempt_at: input.now + input.leaseMs, attempts: eb('attempts', '+', 1), claimed_by: input.workerId, claimed_at: input.now }))
    .where('seq', 'in', lockedForClaim(due.select('seq'), dialect))
    .returning(COLUMNS)
    .execute();
  return rows.sort((a, b) => a.seq - b.seq);
}

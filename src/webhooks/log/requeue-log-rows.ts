import type { Db } from '../../db/database.js';
import type { WebhookProvider } from '../tables.js';

/** Makes stored deliveries due again (replay): processing is idempotent, so done rows can be re-run safely. */
export async function requeueLogRows(db: Db, input: { since: number; until?: number; provider?: WebhookProvider; onlyFailed?: boolean; now: number }): Promise<number> {
  let query = db.updateTable('webhook_log').set({ state: 'pending', attempts: 0, next_attempt_at: input.now, error: null }).where('received_at', '>=', input.since);
  if (input.until !== undefined) query = query.where('received_at', '<', input.until);
  if (input.provider) query = query.where('provider', '=', input.provider);
  if (input.onlyFailed) query = query.where('state', '=', 'failed');
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Deliveries in a replay range not yet processed (for progress). */
export async function countPendingSince(db: Db, input: { since: number; until?: number; provider?: WebhookProvider }): Promise<number> {
  let query = db.selectFrom('webhook_log').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'pending').where('received_at', '>=', input.since);
  if (input.until !== undefined) query = query.where('received_at', '<', input.until);
  if (input.provider) query = query.where('provider', '=', input.provider);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Deliveries received in a range that ended failed (whatever their provider), kept with their error. */
export async function countFailedSince(db: Db, input: { since: number; until?: number }): Promise<number> {
  let query = db.selectFrom('webhook_log').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'failed').where('received_at', '>=', input.since);
  if (input.until !== undefined) query = query.where('received_at', '<', input.until);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

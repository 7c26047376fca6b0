import type { Db } from '../../db/database.js';
import { STATUS_RANK } from '../../messages/status.js';

/**
 * Crash recovery for messages caught in flight. A message is marked `sending` before the provider call;
 * if its worker dies, nobody knows whether the provider got it. Cloud API echoes Parley's id in every
 * status webhook (`biz_opaque_callback_data`) and UltraMsg in `referenceId`, so a message the provider
 * did get leaves `sending` when its first status arrives. One still `sending` after the grace period,
 * claimed by a worker that is gone, never reached the provider: it goes back to the queue. This is the
 * only place a message is sent again after a crash, and the count is a metric.
 */
export async function requeueOrphans(db: Db, liveWorkers: string[], graceMs: number, now: number, limit = 500): Promise<string[]> {
  let query = db.selectFrom('messages').select(['id', 'claimed_by']).where('status', '=', 'sending').where('claimed_at', '<', now - graceMs);
  if (liveWorkers.length) query = query.where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claimed_by', 'not in', liveWorkers)]));
  const orphans = await query.limit(limit).execute();
  const requeued: string[] = [];
  for (const o of orphans) {
    const result = await db
      .updateTable('messages')
      .set({ status: 'queued', status_rank: STATUS_RANK.queued, status_at: now, next_attempt_at: now, claimed_by: null, claimed_at: null, updated_at: now })
      .where('id', '=', o.id)
      .where('status', '=', 'sending')
      .where((eb) => (o.claimed_by === null ? eb('claimed_by', 'is', null) : eb('claimed_by', '=', o.claimed_by)))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) {
      requeued.push(o.id);
      await db
        .insertInto('message_events')
        .values({ message_id: o.id, kind: 'note', status: 'queued', at: now, detail: JSON.stringify({ reason: `In flight when worker ${o.claimed_by} stopped; no provider status arrived within ${graceMs} ms, so it never reached the provider. Sending again.` }) })
        .execute();
    }
  }
  return requeued;
}

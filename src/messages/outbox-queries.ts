import type { Db } from '../db/database.js';

/**
 * Reads of the outbox the dispatcher's background passes make: messages caught in flight by a worker
 * that is gone, messages whose validity ended while they waited, and the waiting count per lane.
 */

/**
 * Messages still `sending` that were claimed before `claimedBefore` by none of `liveWorkers` (or by no
 * worker); with no live worker given, every such message.
 */
export async function inFlightOrphans(db: Db, o: { liveWorkers: readonly string[]; claimedBefore: number; limit: number }) {
  let query = db.selectFrom('messages').select(['id', 'workspace_id', 'sender_id', 'claimed_by', 'claimed_at']).where('status', '=', 'sending').where('claimed_at', '<', o.claimedBefore);
  if (o.liveWorkers.length) query = query.where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claimed_by', 'not in', o.liveWorkers)]));
  return query.limit(o.limit).execute();
}

/** Messages waiting (queued or scheduled) whose validity ended before `now`. */
export async function overdueWaiting(db: Db, now: number, limit: number) {
  return db
    .selectFrom('messages')
    .select(['id', 'workspace_id', 'attempts', 'valid_until'])
    .where('status', 'in', ['queued', 'scheduled'])
    .where('valid_until', 'is not', null)
    .where('valid_until', '<', now)
    .limit(limit)
    .execute();
}

/** How many messages wait (queued or scheduled) in each lane. */
export async function countWaitingByLane(db: Db): Promise<Array<{ lane: string | null; n: number }>> {
  return db.selectFrom('messages').select(['lane', (eb) => eb.fn.countAll<number>().as('n')]).where('status', 'in', ['queued', 'scheduled']).groupBy('lane').execute();
}

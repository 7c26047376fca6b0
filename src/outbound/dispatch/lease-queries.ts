import type { Db } from '../../db/database.js';

/** Records this worker as alive. */
export async function heartbeat(db: Db, workerId: string, now: number, startedAt: number): Promise<void> {
  await db
    .insertInto('dispatch_workers')
    .values({ id: workerId, heartbeat_at: now, started_at: startedAt })
    .onConflict((oc) => oc.column('id').doUpdateSet({ heartbeat_at: now }))
    .execute();
}

export async function liveWorkerIds(db: Db, since: number): Promise<string[]> {
  const rows = await db.selectFrom('dispatch_workers').select('id').where('heartbeat_at', '>', since).execute();
  return rows.map((r) => r.id);
}

export async function forgetWorker(db: Db, workerId: string): Promise<void> {
  await db.deleteFrom('sender_leases').where('holder', '=', workerId).execute();
  await db.deleteFrom('dispatch_workers').where('id', '=', workerId).execute();
}

export async function pruneDeadWorkers(db: Db, before: number): Promise<void> {
  await db.deleteFrom('dispatch_workers').where('heartbeat_at', '<', before).execute();
}

/** Extends this worker's leases; returns the senders it still holds. */
export async function renewLeases(db: Db, workerId: string, now: number, ttl: number): Promise<string[]> {
  const rows = await db.updateTable('sender_leases').set({ expires_at: now + ttl }).where('holder', '=', workerId).where('expires_at', '>', now).returning('sender_id').execute();
  return rows.map((r) => r.sender_id);
}

/** Takes the lease on a sender if nobody holds a live one. Returns true when this worker now holds it. */
export async function tryAcquireLease(db: Db, senderId: string, workerId: string, now: number, ttl: number): Promise<boolean> {
  const rows = await db
    .insertInto('sender_leases')
    .values({ sender_id: senderId, holder: workerId, acquired_at: now, expires_at: now + ttl })
    .onConflict((oc) => oc.column('sender_id').doUpdateSet({ holder: workerId, acquired_at: now, expires_at: now + ttl }).where('sender_leases.expires_at', '<=', now))
    .returning('holder')
    .execute();
  return rows.length === 1 && rows[0].holder === workerId;
}

export async function leaseHolders(db: Db, now: number): Promise<Map<string, string>> {
  const rows = await db.selectFrom('sender_leases').select(['sender_id', 'holder']).where('expires_at', '>', now).execute();
  return new Map(rows.map((r) => [r.sender_id, r.holder]));
}

export async function releaseLease(db: Db, senderId: string, workerId: string): Promise<void> {
  await db.deleteFrom('sender_leases').where('sender_id', '=', senderId).where('holder', '=', workerId).execute();
}

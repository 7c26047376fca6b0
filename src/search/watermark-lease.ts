import type { Db } from '../db/database.js';

export type SearchSource = 'messages' | 'contacts';

export interface Watermark {
  at: number;
  id: string;
}

/** Where a workspace's source stands (undefined: never walked), read without taking the lease. */
export async function readWatermark(db: Db, workspaceId: string, source: SearchSource): Promise<Watermark | undefined> {
  const row = await db.selectFrom('search_watermarks').select(['after_at', 'after_id']).where('workspace_id', '=', workspaceId).where('source', '=', source).executeTakeFirst();
  return row && { at: Number(row.after_at), id: row.after_id };
}

/**
 * Takes the lease on a workspace's source for `owner` until `until` (creating its watermark at the
 * start when there is none): granted when nobody holds it, it has run out, or `owner` holds it already.
 * Returns the watermark, or null when another worker holds the lease. On PostgreSQL the conditional
 * update is atomic, so of two workers only one gets it.
 */
export async function takeLease(db: Db, workspaceId: string, source: SearchSource, owner: string, now: number, until: number): Promise<Watermark | null> {
  await db
    .insertInto('search_watermarks')
    .values({ workspace_id: workspaceId, source, after_at: 0, after_id: '', lease_owner: null, lease_until: 0, updated_at: now })
    .onConflict((oc) => oc.columns(['workspace_id', 'source']).doNothing())
    .execute();
  const taken = await db
    .updateTable('search_watermarks')
    .set({ lease_owner: owner, lease_until: until })
    .where('workspace_id', '=', workspaceId)
    .where('source', '=', source)
    .where((eb) => eb.or([eb('lease_until', '<=', now), eb('lease_owner', '=', owner), eb('lease_owner', 'is', null)]))
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) !== 1) return null;
  const row = await db.selectFrom('search_watermarks').select(['after_at', 'after_id']).where('workspace_id', '=', workspaceId).where('source', '=', source).executeTakeFirstOrThrow();
  return { at: Number(row.after_at), id: row.after_id };
}

/** Moves the watermark and extends the lease, only while `owner` holds it; false when it was lost (another worker took it over). */
export async function advanceWatermark(db: Db, workspaceId: string, source: SearchSource, owner: string, mark: Watermark, now: number, until: number): Promise<boolean> {
  const result = await db
    .updateTable('search_watermarks')
    .set({ after_at: mark.at, after_id: mark.id, lease_until: until, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('source', '=', source)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives the lease back, so another worker may walk the source at once. */
export async function releaseLease(db: Db, workspaceId: string, source: SearchSource, owner: string): Promise<void> {
  await db.updateTable('search_watermarks').set({ lease_owner: null, lease_until: 0 }).where('workspace_id', '=', workspaceId).where('source', '=', source).where('lease_owner', '=', owner).execute();
}

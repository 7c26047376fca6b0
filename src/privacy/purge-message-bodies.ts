import type { Db } from '../db/database.js';
import { DAY } from '../shared/time.js';
import { purgeMessageBodiesCreatedBetween } from '../messages/purge-bodies.js';
import { dropMessageTerms } from '../search/term-rows.js';

export interface PurgeResult {
  purged: number;
  /** Where the next run starts. */
  watermark: number;
}

/**
 * Purges (sets to null) the bodies of a workspace's messages created more than `days` days before
 * `now`, in batches of `batchSize`, each its own statement (`messages/purge-bodies.ts`). Walks
 * messages in creation order from the workspace's watermark, so each run reads only what is new
 * since the last; the watermark stops at the oldest message still in flight, which is purged by a
 * later run once it is sent or ends. The purged messages' term hashes in the search index are dropped
 * with their bodies.
 */
export async function purgeMessageBodies(db: Db, workspaceId: string, days: number, now: number, batchSize = 500): Promise<PurgeResult> {
  const cutoff = now - days * DAY;
  const mark = await db.selectFrom('retention_watermarks').select('purged_before').where('workspace_id', '=', workspaceId).executeTakeFirst();
  const start = mark?.purged_before ?? 0;
  // The search index's hashes of the purged messages' words go with their bodies.
  const { purged, oldestInFlight } = await purgeMessageBodiesCreatedBetween(db, workspaceId, start, cutoff, batchSize, (ids) => dropMessageTerms(db, ids));
  const watermark = Math.max(start, oldestInFlight ?? cutoff);
  await db
    .insertInto('retention_watermarks')
    .values({ workspace_id: workspaceId, purged_before: watermark, updated_at: now })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ purged_before: watermark, updated_at: now }))
    .execute();
  return { purged, watermark };
}

import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { DAY } from '../shared/time.js';
import type { MessageStatus } from '../messages/status.js';

/** Statuses whose body is still needed to send the message: never purged. */
const IN_FLIGHT: readonly MessageStatus[] = ['scheduled', 'queued', 'sending'];

export interface PurgeResult {
  purged: number;
  /** Where the next run starts. */
  watermark: number;
}

/**
 * Purges (sets to null) the bodies of a workspace's messages created more than `days` days before
 * `now`, in batches of `batchSize`, each its own statement. Walks messages in creation order from
 * the workspace's watermark, so each run reads only what is new since the last; the watermark stops
 * at the oldest message still in flight, which is purged by a later run once it is sent or ends.
 */
export async function purgeMessageBodies(db: Db, workspaceId: string, days: number, now: number, batchSize = 500): Promise<PurgeResult> {
  const cutoff = now - days * DAY;
  const mark = await db.selectFrom('retention_watermarks').select('purged_before').where('workspace_id', '=', workspaceId).executeTakeFirst();
  const start = mark?.purged_before ?? 0;
  let after: { createdAt: number; id: string } | null = null;
  let oldestInFlight: number | null = null;
  let purged = 0;
  for (;;) {
    let query = db
      .selectFrom('messages')
      .select(['id', 'status', 'created_at', sql<number>`case when content is null then 0 else 1 end`.as('has_body')])
      .where('workspace_id', '=', workspaceId)
      .where('created_at', '>=', start)
      .where('created_at', '<', cutoff);
    if (after) {
      const { createdAt, id } = after;
      query = query.where((eb) => eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)])]));
    }
    const rows = await query.orderBy('created_at').orderBy('id').limit(batchSize).execute();
    if (rows.length === 0) break;
    const ids: string[] = [];
    for (const row of rows) {
      if (!Number(row.has_body)) continue;
      if (IN_FLIGHT.includes(row.status)) oldestInFlight ??= row.created_at;
      else ids.push(row.id);
    }
    if (ids.length) {
      const result = await db.updateTable('messages').set({ content: null }).where('id', 'in', ids).where('status', 'not in', IN_FLIGHT).executeTakeFirst();
      purged += Number(result.numUpdatedRows);
    }
    const last = rows[rows.length - 1];
    after = { createdAt: last.created_at, id: last.id };
    if (rows.length < batchSize) break;
  }
  const watermark = Math.max(start, oldestInFlight ?? cutoff);
  await db
    .insertInto('retention_watermarks')
    .values({ workspace_id: workspaceId, purged_before: watermark, updated_at: now })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ purged_before: watermark, updated_at: now }))
    .execute();
  return { purged, watermark };
}

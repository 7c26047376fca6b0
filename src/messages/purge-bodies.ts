import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { MessageStatus } from './status.js';

/** Statuses whose body is still needed to send the message: never purged. */
const IN_FLIGHT: readonly MessageStatus[] = ['scheduled', 'queued', 'sending'];

export interface BodiesPurged {
  purged: number;
  /** When the oldest message of the range that kept its body because it is still in flight was created; null when none did. */
  oldestInFlight: number | null;
}

/**
 * Purges (sets to null) the bodies of a workspace's messages created in [`from`, `before`), in
 * batches of `batchSize` in creation order, each its own statement. Messages still in flight keep
 * their body; the oldest of them is reported, so the caller knows where a later run must start.
 * `onPurged` is told each batch's purged messages (what was derived from their bodies goes with them).
 */
export async function purgeMessageBodiesCreatedBetween(
  db: Db,
  workspaceId: string,
  from: number,
  before: number,
  batchSize: number,
  onPurged?: (messageIds: string[]) => Promise<void>,
): Promise<BodiesPurged> {
  let after: { createdAt: number; id: string } | null = null;
  let oldestInFlight: number | null = null;
  let purged = 0;
  for (;;) {
    let query = db
      .selectFrom('messages')
      .select(['id', 'status', 'created_at', sql<number>`case when content is null then 0 else 1 end`.as('has_body')])
      .where('workspace_id', '=', workspaceId)
      .where('created_at', '>=', from)
      .where('created_at', '<', before);
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
      await onPurged?.(ids);
    }
    const last = rows[rows.length - 1];
    after = { createdAt: last.created_at, id: last.id };
    if (rows.length < batchSize) break;
  }
  return { purged, oldestInFlight };
}

import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { likeContaining } from '../shared/like-pattern.js';

/**
 * The payloads of the workspace's event-webhook deliveries about the contact (their JSON names it:
 * `"contactId":"ct_..."`) are emptied to `{"erased":true}`. Returns how many were.
 */
export async function scrubEventPayloadsAbout(db: Db, workspaceId: string, contactId: string): Promise<number> {
  const pattern = likeContaining(`"contactId":${JSON.stringify(contactId)}`);
  const events = await db
    .updateTable('event_outbox')
    .set({ payload: JSON.stringify({ erased: true }) })
    .where('workspace_id', '=', workspaceId)
    .where(sql<boolean>`payload like ${pattern} escape '\\'`)
    .executeTakeFirst();
  return Number(events.numUpdatedRows);
}

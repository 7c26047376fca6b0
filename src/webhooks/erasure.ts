import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { ContactMessageRefs } from '../messages/erasure.js';
import { likeContaining } from '../shared/like-pattern.js';

/** Statuses held for the messages (they name the provider ids) are deleted. */
export async function deletePendingStatusesOf(db: Db, messages: ContactMessageRefs): Promise<void> {
  await db
    .deleteFrom('pending_statuses')
    .where((eb) => eb.or([eb('provider_id_hash', 'in', messages.providerIdHashes), eb('provider_id_hash', 'in', messages.providerAltIdHashes), eb('parley_message_id', 'in', messages.ids)]))
    .execute();
}

/**
 * The media files of the messages are destroyed (data, file name, source URL, provider media id,
 * digest); one still waiting to be downloaded is marked failed first, so it is not fetched after
 * all. Returns how many media rows were scrubbed.
 */
export async function scrubMediaOf(db: Db, workspaceId: string, messageIds: ContactMessageRefs['ids'], now: number): Promise<number> {
  await db.updateTable('media').set({ state: 'failed', error: 'erased on request' }).where('workspace_id', '=', workspaceId).where('state', '=', 'pending').where('message_id', 'in', messageIds).execute();
  const media = await db
    .updateTable('media')
    .set({ data: null, filename: null, source_url: null, provider_media_id: null, sha256: null, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('message_id', 'in', messageIds)
    .executeTakeFirst();
  return Number(media.numUpdatedRows);
}

/** Domain events still queued about the contact (their JSON names it: `"contactId":"ct_..."`) are dropped. */
export async function dropQueuedDomainEventsAbout(db: Db, contactId: string): Promise<void> {
  const pattern = likeContaining(`"contactId":${JSON.stringify(contactId)}`);
  await db.deleteFrom('webhook_domain_events').where(sql<boolean>`event like ${pattern} escape '\\'`).execute();
}

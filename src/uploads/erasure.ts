import type { Db } from '../db/database.js';
import type { ContactMessageRefs } from '../messages/erasure.js';

/**
 * Erasure of some contacts' messages' uploads: every upload one of their messages sends is deleted,
 * with its uses and provider media ids, even when messages to other contacts send it too (the file
 * may show the person; such a message still waiting fails with `media_gone`). Runs in the erasure's
 * transaction (`privacy/erase-contact.ts`); returns how many uploads were deleted.
 */
export async function deleteUploadsOf(db: Db, workspaceId: string, messageIds: ContactMessageRefs['ids']): Promise<number> {
  const uploadIds = (await db.selectFrom('media_upload_uses').select('upload_id').distinct().where('workspace_id', '=', workspaceId).where('message_id', 'in', messageIds).execute()).map((r) => r.upload_id);
  if (uploadIds.length === 0) return 0;
  await db.deleteFrom('media_upload_providers').where('upload_id', 'in', uploadIds).execute();
  await db.deleteFrom('media_upload_uses').where('upload_id', 'in', uploadIds).execute();
  const deleted = await db.deleteFrom('media_uploads').where('workspace_id', '=', workspaceId).where('id', 'in', uploadIds).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

import type { Db } from '../../db/database.js';

/** The media rows of some messages (metadata only, not the files), oldest first. */
export async function listMediaOfMessages(db: Db, workspaceId: string, messageIds: readonly string[]) {
  return db.selectFrom('media').select(['id', 'message_id', 'mime_type', 'filename', 'size', 'state']).where('workspace_id', '=', workspaceId).where('message_id', 'in', messageIds).orderBy('created_at').execute();
}

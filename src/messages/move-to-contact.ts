import type { Db } from '../db/database.js';

/** Moves a workspace's messages from one contact to another (a merge); returns how many moved. */
export async function moveMessagesToContact(db: Db, workspaceId: string, fromContactId: string, toContactId: string, now: number): Promise<number> {
  const result = await db.updateTable('messages').set({ contact_id: toContactId, updated_at: now }).where('workspace_id', '=', workspaceId).where('contact_id', '=', fromContactId).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

import type { Db } from '../db/database.js';

/** Some contacts' messages as stored (body still sealed), oldest first, for an export of their data. */
export async function listContactMessages(db: Db, workspaceId: string, contactIds: readonly string[]) {
  return db
    .selectFrom('messages')
    .select(['id', 'contact_id', 'direction', 'channel', 'type', 'lane', 'intent', 'template_name', 'template_language', 'status', 'status_at', 'created_at', 'error_code', 'content'])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', 'in', contactIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The history rows of some messages, in the order they were written. */
export async function listEventsOfMessages(db: Db, messageIds: readonly string[]) {
  return db.selectFrom('message_events').select(['message_id', 'kind', 'status', 'at', 'detail']).where('message_id', 'in', messageIds).orderBy('seq').execute();
}

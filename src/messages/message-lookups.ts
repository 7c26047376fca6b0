import type { Db } from '../db/database.js';

/** Single-message reads other modules make by a message's id, each naming the columns it needs. */

/** The sealed provider id of a message of the workspace (null until the provider gave one). */
export async function sealedProviderIdOf(db: Db, workspaceId: string, id: string): Promise<string | null | undefined> {
  const row = await db.selectFrom('messages').select('provider_id_sealed').where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return row?.provider_id_sealed;
}

/** The sealed provider id of a message the sender received (inbound), or undefined when it is not one. */
export async function sealedInboundProviderIdOf(db: Db, o: { workspaceId: string; senderId: string; id: string }): Promise<{ provider_id_sealed: string | null } | undefined> {
  return db
    .selectFrom('messages')
    .select('provider_id_sealed')
    .where('id', '=', o.id)
    .where('workspace_id', '=', o.workspaceId)
    .where('sender_id', '=', o.senderId)
    .where('direction', '=', 'inbound')
    .executeTakeFirst();
}

/** The template a message names (both null for a message that is not a template). */
export async function templateOfMessage(db: Db, id: string): Promise<{ template_name: string | null; template_language: string | null } | undefined> {
  return db.selectFrom('messages').select(['template_name', 'template_language']).where('id', '=', id).executeTakeFirst();
}

/** What a failed send needs to be sent again another way: its sender, contact, lane, content and intent. */
export async function messageForResend(db: Db, workspaceId: string, id: string) {
  return db
    .selectFrom('messages')
    .select(['id', 'workspace_id', 'direction', 'sender_id', 'contact_id', 'lane', 'type', 'content', 'intent', 'status', 'error_code'])
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
}

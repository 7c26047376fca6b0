import type { Db } from '../db/database.js';

/**
 * The messages of some contacts, as subqueries for other modules' statements (statuses held for
 * them, their media): evaluated inside those statements, so within the caller's transaction and
 * before `scrubContactMessages` clears the provider id hashes.
 */
export function contactMessageRefs(db: Db, workspaceId: string, contactIds: readonly string[]) {
  const theirs = db.selectFrom('messages').where('workspace_id', '=', workspaceId).where('contact_id', 'in', contactIds);
  return {
    ids: theirs.select('id'),
    providerIdHashes: theirs.select('provider_id_hash').where('provider_id_hash', 'is not', null),
    providerAltIdHashes: theirs.select('provider_alt_id_hash').where('provider_alt_id_hash', 'is not', null),
  };
}

export type ContactMessageRefs = ReturnType<typeof contactMessageRefs>;

/**
 * Erasure of some contacts' messages: every body and provider message id (sealed and hashed: it
 * carries the number) is destroyed; the rows stay with status, timestamps and lane. Returns how many
 * messages held something to destroy.
 */
export async function scrubContactMessages(db: Db, workspaceId: string, contactIds: readonly string[], now: number): Promise<number> {
  const scrubbed = await db
    .updateTable('messages')
    .set({ content: null, provider_id_sealed: null, provider_id_hash: null, provider_alt_id_sealed: null, provider_alt_id_hash: null, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', 'in', contactIds)
    .where((eb) => eb.or([eb('content', 'is not', null), eb('provider_id_hash', 'is not', null), eb('provider_id_sealed', 'is not', null), eb('provider_alt_id_hash', 'is not', null)]))
    .executeTakeFirst();
  return Number(scrubbed.numUpdatedRows);
}

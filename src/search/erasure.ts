import type { Db } from '../db/database.js';

/**
 * Erasure of some contacts (`privacy/erase-contact.ts`, in its transaction): the hashes of their
 * names' terms and of their messages' words are about them, so every row naming them goes. The
 * indexer does not write them again: their name and message bodies are gone in the same transaction.
 * Returns how many rows were deleted.
 */
export async function eraseSearchTermsOf(db: Db, workspaceId: string, contactIds: readonly string[]): Promise<number> {
  if (contactIds.length === 0) return 0;
  const names = await db.deleteFrom('search_name_terms').where('workspace_id', '=', workspaceId).where('contact_id', 'in', [...contactIds]).executeTakeFirst();
  const words = await db.deleteFrom('search_message_terms').where('workspace_id', '=', workspaceId).where('contact_id', 'in', [...contactIds]).executeTakeFirst();
  return Number(names.numDeletedRows) + Number(words.numDeletedRows);
}

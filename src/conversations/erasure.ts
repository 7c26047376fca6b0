import type { Kysely } from 'kysely';
import type { ConversationsDb } from './conversation-store.js';
import type { ConversationsTables } from './tables.js';

const tablesOf = <DB extends ConversationsTables>(db: ConversationsDb<DB>): Kysely<ConversationsTables> => db as unknown as Kysely<ConversationsTables>;

/**
 * Erasure of some contacts (`privacy/erase-contact.ts`, in its transaction): the comments they left on
 * surveys are their words and are destroyed; the scores stay, as figures about the conversations.
 * Returns how many comments were destroyed.
 */
export async function eraseSurveyComments<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, contactIds: readonly string[]): Promise<number> {
  if (contactIds.length === 0) return 0;
  const t = tablesOf(db);
  const theirConversations = t.selectFrom('conversations').select('id').where('workspace_id', '=', workspaceId).where('contact_id', 'in', [...contactIds]);
  const result = await t
    .updateTable('conversation_surveys')
    .set({ comment: null })
    .where('workspace_id', '=', workspaceId)
    .where('conversation_id', 'in', theirConversations)
    .where('comment', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The conversations of some contacts, as a subquery other modules' erasures select by (the bot's runs). */
export function conversationsOfContacts<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, contactIds: readonly string[]) {
  return tablesOf(db).selectFrom('conversations').select('id').where('workspace_id', '=', workspaceId).where('contact_id', 'in', [...contactIds]);
}

/**
 * Erasure of some contacts: the notes an author other than a person wrote about them from their own
 * words (the bot's hand-off summary: what it collected from them) are destroyed. People's notes stay:
 * they are the team's record, written by the team. Returns how many notes were destroyed.
 */
export async function eraseNotesBy<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, contactIds: readonly string[], author: string): Promise<number> {
  if (contactIds.length === 0) return 0;
  const t = tablesOf(db);
  const result = await t.deleteFrom('conversation_notes').where('workspace_id', '=', workspaceId).where('author', '=', author).where('conversation_id', 'in', conversationsOfContacts(db, workspaceId, contactIds)).executeTakeFirst();
  return Number(result.numDeletedRows);
}

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

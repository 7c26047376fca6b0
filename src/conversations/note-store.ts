import type { Kysely } from 'kysely';
import type { ConversationsDb } from './conversation-store.js';
import type { ConversationsTables } from './tables.js';

/** Private notes: rows of `conversation_notes`, the text sealed by the caller (see `notes.ts`). */
const tablesOf = <DB extends ConversationsTables>(db: ConversationsDb<DB>): Kysely<ConversationsTables> => db as unknown as Kysely<ConversationsTables>;

export interface StoredNote {
  id: string;
  conversationId: string;
  author: string;
  /** Sealed (`v1.…`). */
  sealedText: string;
  mentions: string[];
  createdAt: number;
}

export async function insertNote<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, note: StoredNote): Promise<void> {
  await tablesOf(db)
    .insertInto('conversation_notes')
    .values({ id: note.id, workspace_id: workspaceId, conversation_id: note.conversationId, author: note.author, text: note.sealedText, mentions: JSON.stringify(note.mentions), created_at: note.createdAt })
    .execute();
}

/** A conversation's notes, oldest first. */
export async function listNotes<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, conversationId: string, limit: number): Promise<StoredNote[]> {
  const rows = await tablesOf(db)
    .selectFrom('conversation_notes')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, conversationId: r.conversation_id, author: r.author, sealedText: r.text, mentions: JSON.parse(r.mentions) as string[], createdAt: Number(r.created_at) }));
}

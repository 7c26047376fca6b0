import type { Kysely } from 'kysely';
import type { ConversationsDb } from './conversation-store.js';
import type { ConversationsTables } from './tables.js';

/** A conversation's labels (`conversation_labels`). */
const tablesOf = <DB extends ConversationsTables>(db: ConversationsDb<DB>): Kysely<ConversationsTables> => db as unknown as Kysely<ConversationsTables>;

/** The conversation's labels, sorted. */
export async function labelsOf<DB extends ConversationsTables>(db: ConversationsDb<DB>, conversationId: string): Promise<string[]> {
  const rows = await tablesOf(db).selectFrom('conversation_labels').select('label').where('conversation_id', '=', conversationId).orderBy('label').execute();
  return rows.map((r) => r.label);
}

/** Replaces the conversation's labels with `labels`; returns those added and removed. */
export async function setLabels<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, conversationId: string, labels: readonly string[]): Promise<{ added: string[]; removed: string[] }> {
  const before = await labelsOf(db, conversationId);
  const wanted = [...new Set(labels)].sort();
  const added = wanted.filter((l) => !before.includes(l));
  const removed = before.filter((l) => !wanted.includes(l));
  const t = tablesOf(db);
  if (removed.length) await t.deleteFrom('conversation_labels').where('conversation_id', '=', conversationId).where('label', 'in', removed).execute();
  if (added.length) await t.insertInto('conversation_labels').values(added.map((label) => ({ conversation_id: conversationId, workspace_id: workspaceId, label }))).execute();
  return { added, removed };
}

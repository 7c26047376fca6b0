import type { Kysely, Selectable } from 'kysely';
import type { ConversationsDb } from './conversation-store.js';
import type { CannedRepliesTable, ConversationsTables } from './tables.js';

/** The workspace's canned replies (`canned-reply.ts` renders them). */
const tablesOf = <DB extends ConversationsTables>(db: ConversationsDb<DB>): Kysely<ConversationsTables> => db as unknown as Kysely<ConversationsTables>;

export interface CannedReply {
  id: string;
  shortcut: string;
  text: string;
  createdAt: number;
  updatedAt: number;
}

const fromRow = (r: Selectable<CannedRepliesTable>): CannedReply => ({ id: r.id, shortcut: r.shortcut, text: r.text, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) });

export async function insertCannedReply<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, reply: CannedReply): Promise<void> {
  await tablesOf(db).insertInto('canned_replies').values({ id: reply.id, workspace_id: workspaceId, shortcut: reply.shortcut, text: reply.text, created_at: reply.createdAt, updated_at: reply.updatedAt }).execute();
}

/** Changes the shortcut and text; false when there is no such reply in the workspace. */
export async function updateCannedReply<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, id: string, change: { shortcut: string; text: string }, now: number): Promise<boolean> {
  const result = await tablesOf(db).updateTable('canned_replies').set({ shortcut: change.shortcut, text: change.text, updated_at: now }).where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteCannedReply<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, id: string): Promise<boolean> {
  const result = await tablesOf(db).deleteFrom('canned_replies').where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function getCannedReply<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, id: string): Promise<CannedReply | undefined> {
  const row = await tablesOf(db).selectFrom('canned_replies').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return row && fromRow(row);
}

export async function findCannedReply<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, shortcut: string): Promise<CannedReply | undefined> {
  const row = await tablesOf(db).selectFrom('canned_replies').selectAll().where('workspace_id', '=', workspaceId).where('shortcut', '=', shortcut).executeTakeFirst();
  return row && fromRow(row);
}

/** The workspace's canned replies by shortcut; `prefix` narrows to shortcuts starting with it (what an agent typing `/ord` sees). */
export async function listCannedReplies<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, prefix: string | undefined, limit: number): Promise<CannedReply[]> {
  let q = tablesOf(db).selectFrom('canned_replies').selectAll().where('workspace_id', '=', workspaceId);
  if (prefix) q = q.where('shortcut', '>=', prefix).where('shortcut', '<', `${prefix}\u{10FFFF}`);
  const rows = await q.orderBy('shortcut').limit(limit).execute();
  return rows.map(fromRow);
}

import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import { decryptContent } from './read-message.js';

/** A message as the search indexer reads it (`search/`): who it is between, when it was made, its content decrypted (null once erased or purged). */
export interface MessageToIndex {
  id: string;
  contactId: string | null;
  senderId: string | null;
  createdAt: number;
  content: Record<string, unknown> | null;
}

/**
 * A workspace's messages created after (`createdAt`, `id`) and before `before`, in creation order, at
 * most `limit`: the search indexer's walk (wired at the composition root).
 */
export async function messagesForIndexing(db: Db, keyring: Keyring, workspaceId: string, after: { at: number; id: string }, before: number, limit: number): Promise<MessageToIndex[]> {
  const rows = await db
    .selectFrom('messages')
    .select(['id', 'contact_id', 'sender_id', 'created_at', 'content'])
    .where('workspace_id', '=', workspaceId)
    .where('created_at', '<', before)
    // A row-value comparison: one range of the (workspace_id, created_at, id) index on both dialects.
    .where(sql<boolean>`(created_at, id) > (${after.at}, ${after.id})`)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return Promise.all(
    rows.map(async (row) => ({ id: row.id, contactId: row.contact_id, senderId: row.sender_id, createdAt: Number(row.created_at), content: await decryptContent(keyring, workspaceId, row.content) })),
  );
}

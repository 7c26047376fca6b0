import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import type { IndexableMessage } from '../search/sources.js';
import { decryptContent } from './read-message.js';

/**
 * A workspace's messages created after (`createdAt`, `id`) and before `before`, in creation order, at
 * most `limit`: the search indexer's walk (wired at the composition root).
 */
export async function messagesForIndexing(db: Db, keyring: Keyring, workspaceId: string, after: { at: number; id: string }, before: number, limit: number): Promise<IndexableMessage[]> {
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

import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import type { IndexableContact } from '../search/sources.js';

/**
 * A workspace's contacts changed after (`updatedAt`, `id`) and before `before`, in order of their last
 * change, at most `limit`: the search indexer's walk (wired at the composition root). Every change of
 * a contact (its name, a merge, an erasure) moves its `updated_at`, so a changed name is read again.
 */
export async function contactsForIndexing(db: Db, keyring: Keyring, workspaceId: string, after: { at: number; id: string }, before: number, limit: number): Promise<IndexableContact[]> {
  const rows = await db
    .selectFrom('contacts')
    .select(['id', 'name', 'merged_into', 'erased_at', 'updated_at'])
    .where('workspace_id', '=', workspaceId)
    .where('updated_at', '<', before)
    // A row-value comparison: one range of the (workspace_id, updated_at, id) index on both dialects.
    .where(sql<boolean>`(updated_at, id) > (${after.at}, ${after.id})`)
    .orderBy('updated_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return Promise.all(
    rows.map(async (row) => ({ id: row.id, name: await keyring.decryptNullable(workspaceId, row.name), mergedInto: row.merged_into, erased: row.erased_at !== null, updatedAt: Number(row.updated_at) })),
  );
}

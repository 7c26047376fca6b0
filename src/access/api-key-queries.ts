import type { Db } from '../db/database.js';
import { newId } from '../shared/ids.js';
import { generateApiKey } from './api-key-format.js';
import type { Scope } from './scopes.js';

export interface ApiKeyInfo {
  id: string;
  workspaceId: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

type Row = { id: string; workspace_id: string; name: string; prefix: string; scopes: string; created_at: number; last_used_at: number | null; revoked_at: number | null };

const toInfo = (row: Row): ApiKeyInfo => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  prefix: row.prefix,
  scopes: JSON.parse(row.scopes) as string[],
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

/** Creates a key and returns it in full: the only time the secret is visible. */
export async function createApiKey(db: Db, input: { workspaceId: string; name: string; scopes: Scope[] }, now = Date.now()): Promise<{ key: string; info: ApiKeyInfo }> {
  const generated = generateApiKey();
  const row: Row & { key_hash: string } = {
    id: newId('key', now),
    workspace_id: input.workspaceId,
    name: input.name,
    prefix: generated.prefix,
    key_hash: generated.hash,
    scopes: JSON.stringify(input.scopes),
    created_at: now,
    last_used_at: null,
    revoked_at: null,
  };
  await db.insertInto('api_keys').values(row).execute();
  return { key: generated.key, info: toInfo(row) };
}

export async function findApiKeyByHash(db: Db, hash: string): Promise<ApiKeyInfo | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'workspace_id', 'name', 'prefix', 'scopes', 'created_at', 'last_used_at', 'revoked_at'])
    .where('key_hash', '=', hash)
    .executeTakeFirst();
  return row && toInfo(row);
}

export async function listApiKeys(db: Db, workspaceId?: string): Promise<ApiKeyInfo[]> {
  let query = db.selectFrom('api_keys').select(['id', 'workspace_id', 'name', 'prefix', 'scopes', 'created_at', 'last_used_at', 'revoked_at']);
  if (workspaceId) query = query.where('workspace_id', '=', workspaceId);
  return (await query.orderBy('created_at').execute()).map(toInfo);
}

/** Revokes a key (in the given workspace, when one is named). Returns false when there is no such key. */
export async function revokeApiKey(db: Db, id: string, workspaceId?: string, now = Date.now()): Promise<boolean> {
  let query = db.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null);
  if (workspaceId) query = query.where('workspace_id', '=', workspaceId);
  const result = await query.executeTakeFirst();
  if (Number(result.numUpdatedRows) > 0) return true;
  let exists = db.selectFrom('api_keys').select('id').where('id', '=', id);
  if (workspaceId) exists = exists.where('workspace_id', '=', workspaceId);
  return (await exists.executeTakeFirst()) !== undefined;
}

export async function touchApiKey(db: Db, id: string, now = Date.now()): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id).execute();
}

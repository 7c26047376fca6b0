import type { Db } from '../db/database.js';
import { newId } from '../shared/ids.js';

export interface Workspace {
  id: string;
  name: string;
  region: string;
  settings: Record<string, unknown>;
  createdAt: number;
}

const toWorkspace = (row: { id: string; name: string; region: string; settings: string; created_at: number }): Workspace => ({
  id: row.id,
  name: row.name,
  region: row.region,
  settings: JSON.parse(row.settings) as Record<string, unknown>,
  createdAt: row.created_at,
});

export async function createWorkspace(db: Db, input: { name: string; region?: string }, now = Date.now()): Promise<Workspace> {
  const row = { id: newId('ws', now), name: input.name, region: input.region ?? 'default', settings: '{}', created_at: now };
  await db.insertInto('workspaces').values(row).execute();
  return toWorkspace(row);
}

export async function listWorkspaces(db: Db): Promise<Workspace[]> {
  const rows = await db.selectFrom('workspaces').selectAll().orderBy('created_at').execute();
  return rows.map(toWorkspace);
}

export async function getWorkspace(db: Db, id: string): Promise<Workspace | undefined> {
  const row = await db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toWorkspace(row);
}

/** The id of the oldest workspace (the first created; by id among those created at once). */
export async function oldestWorkspaceId(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('workspaces').select('id').orderBy('created_at', 'asc').orderBy('id', 'asc').limit(1).executeTakeFirst();
  return row?.id;
}

export async function countWorkspaces(db: Db): Promise<number> {
  const row = await db.selectFrom('workspaces').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Merges `patch` into the workspace's settings object (shallow, per top-level key). */
export async function updateWorkspaceSettings(db: Db, id: string, patch: Record<string, unknown>): Promise<Workspace | undefined> {
  const current = await getWorkspace(db, id);
  if (!current) return undefined;
  const settings = { ...current.settings, ...patch };
  await db.updateTable('workspaces').set({ settings: JSON.stringify(settings) }).where('id', '=', id).execute();
  return { ...current, settings };
}

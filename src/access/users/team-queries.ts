import type { Db } from '../../db/database.js';
import { ParleyError } from '../../errors/parley-error.js';
import { newId } from '../../shared/ids.js';

export interface Team {
  id: string;
  name: string;
  members: string[];
  createdAt: number;
}

export async function listTeams(db: Db, workspaceId: string): Promise<Team[]> {
  const teams = await db.selectFrom('teams').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').execute();
  const members = await db.selectFrom('team_members').select(['team_id', 'user_id']).where('workspace_id', '=', workspaceId).orderBy('user_id').execute();
  return teams.map((t) => ({ id: t.id, name: t.name, members: members.filter((m) => m.team_id === t.id).map((m) => m.user_id), createdAt: Number(t.created_at) }));
}

export async function getTeam(db: Db, workspaceId: string, id: string): Promise<Team | undefined> {
  return (await listTeams(db, workspaceId)).find((t) => t.id === id);
}

async function refuseTakenName(db: Db, workspaceId: string, name: string, except?: string): Promise<void> {
  let query = db.selectFrom('teams').select('id').where('workspace_id', '=', workspaceId).where('name', '=', name);
  if (except) query = query.where('id', '<>', except);
  if (await query.executeTakeFirst()) throw new ParleyError('TEAM_EXISTS', { field: '/name' });
}

export async function createTeam(db: Db, workspaceId: string, name: string, now = Date.now()): Promise<Team> {
  await refuseTakenName(db, workspaceId, name);
  const id = newId('team', now);
  await db.insertInto('teams').values({ id, workspace_id: workspaceId, name, created_at: now }).execute();
  return { id, name, members: [], createdAt: now };
}

export async function renameTeam(db: Db, workspaceId: string, id: string, name: string): Promise<Team> {
  await refuseTakenName(db, workspaceId, name, id);
  const result = await db.updateTable('teams').set({ name }).where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (!result.numUpdatedRows) throw new ParleyError('TEAM_NOT_FOUND');
  return (await getTeam(db, workspaceId, id))!;
}

/** Deletes a team and its memberships. */
export async function deleteTeam(db: Db, workspaceId: string, id: string): Promise<void> {
  const deleted = await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('team_members').where('team_id', '=', id).where('workspace_id', '=', workspaceId).execute();
    return trx.deleteFrom('teams').where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  });
  if (!deleted.numDeletedRows) throw new ParleyError('TEAM_NOT_FOUND');
}

import { sql } from 'kysely';
import type { Db, Store } from '../../db/database.js';
import type { Keyring } from '../../crypto/keyring.js';
import { ParleyError } from '../../errors/parley-error.js';
import { newId } from '../../shared/ids.js';
import type { Role } from '../permissions.js';
import type { UsersTable } from '../tables.js';
import { normalizeEmail, signInHash, userEmailHash } from './email.js';

export const USER_STATUSES = ['invited', 'active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** A user as the API shows it: personal fields opened, no password hash. */
export interface User {
  id: string;
  workspaceId: string;
  name: string;
  email: string;
  role: Role;
  status: UserStatus;
  teams: string[];
  createdAt: number;
  updatedAt: number;
}

async function open(keyring: Keyring, row: UsersTable, teams: string[]): Promise<User> {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: await keyring.decrypt(row.workspace_id, row.name),
    email: await keyring.decrypt(row.workspace_id, row.email),
    role: row.role as Role,
    status: row.status as UserStatus,
    teams,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

async function teamsByUser(db: Db, userIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!userIds.length) return out;
  const rows = await db.selectFrom('team_members').select(['user_id', 'team_id']).where('user_id', 'in', userIds).orderBy('team_id').execute();
  for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.team_id]);
  return out;
}

/** The ids of the teams a user belongs to. */
export async function teamIdsOfUser(db: Db, userId: string): Promise<string[]> {
  return (await teamsByUser(db, [userId])).get(userId) ?? [];
}

export interface NewUser {
  workspaceId: string;
  name: string;
  email: string;
  role: Role;
  status: UserStatus;
  passwordHash: string | null;
}

/** Creates a user; 409 USER_EXISTS when the address is taken in the workspace. Sealing happens before the insert. */
export async function createUser(db: Db, keyring: Keyring, input: NewUser, now = Date.now()): Promise<User> {
  const email = normalizeEmail(input.email);
  const row: UsersTable = {
    id: newId('usr', now),
    workspace_id: input.workspaceId,
    name: await keyring.encrypt(input.workspaceId, input.name),
    email: await keyring.encrypt(input.workspaceId, email),
    email_hash: userEmailHash(keyring, input.workspaceId, email),
    sign_in_hash: signInHash(keyring, email),
    role: input.role,
    status: input.status,
    password_hash: input.passwordHash,
    created_at: now,
    updated_at: now,
  };
  const taken = await db.selectFrom('users').select('id').where('workspace_id', '=', input.workspaceId).where('email_hash', '=', row.email_hash).executeTakeFirst();
  if (taken) throw new ParleyError('USER_EXISTS', { field: '/email' });
  await db.insertInto('users').values(row).execute();
  return open(keyring, row, []);
}

export async function getUser(db: Db, keyring: Keyring, workspaceId: string, id: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return row ? open(keyring, row, await teamIdsOfUser(db, id)) : undefined;
}

/** Who a user is for routing work, without opening their sealed name and email: role, status and teams. */
export interface UserStanding {
  id: string;
  role: Role;
  status: UserStatus;
  teams: string[];
}

/** A user of the workspace as the inbox routes work to them, or undefined. */
export async function userStanding(db: Db, workspaceId: string, id: string): Promise<UserStanding | undefined> {
  const row = await db.selectFrom('users').select(['id', 'role', 'status']).where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return row ? { id: row.id, role: row.role as Role, status: row.status as UserStatus, teams: await teamIdsOfUser(db, id) } : undefined;
}

/** The workspace's users as the inbox routes work to them (no personal field opened), by id. */
export async function userStandings(db: Db, workspaceId: string): Promise<UserStanding[]> {
  const rows = await db.selectFrom('users').select(['id', 'role', 'status']).where('workspace_id', '=', workspaceId).orderBy('id').execute();
  const teams = await teamsByUser(db, rows.map((r) => r.id));
  return rows.map((r) => ({ id: r.id, role: r.role as Role, status: r.status as UserStatus, teams: teams.get(r.id) ?? [] }));
}

/** The members of a team as the inbox routes work to them, each with all their teams. */
export async function teamMemberStandings(db: Db, workspaceId: string, teamId: string): Promise<UserStanding[]> {
  const rows = await db
    .selectFrom('team_members')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .select(['users.id', 'users.role', 'users.status'])
    .where('team_members.team_id', '=', teamId)
    .where('team_members.workspace_id', '=', workspaceId)
    .where('users.workspace_id', '=', workspaceId)
    .orderBy('users.id')
    .execute();
  const teams = await teamsByUser(db, rows.map((r) => r.id));
  return rows.map((r) => ({ id: r.id, role: r.role as Role, status: r.status as UserStatus, teams: teams.get(r.id) ?? [] }));
}

export async function listUsers(db: Db, keyring: Keyring, workspaceId: string): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute();
  const teams = await teamsByUser(db, rows.map((r) => r.id));
  return Promise.all(rows.map((r) => open(keyring, r, teams.get(r.id) ?? [])));
}

/** What sign-in needs of an account: no personal field opened. */
export interface SignInAccount {
  id: string;
  workspaceId: string;
  role: Role;
  status: UserStatus;
  passwordHash: string | null;
}

/** The accounts of an address across workspaces, oldest first. */
export async function signInAccounts(db: Db, keyring: Keyring, email: string): Promise<SignInAccount[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'workspace_id', 'role', 'status', 'password_hash'])
    .where('sign_in_hash', '=', signInHash(keyring, email))
    .orderBy('id')
    .limit(20)
    .execute();
  return rows.map((r) => ({ id: r.id, workspaceId: r.workspace_id, role: r.role as Role, status: r.status as UserStatus, passwordHash: r.password_hash }));
}

/** The account a session belongs to, for building its principal. */
export async function sessionAccount(db: Db, workspaceId: string, userId: string): Promise<{ role: Role; status: UserStatus } | undefined> {
  const row = await db.selectFrom('users').select(['role', 'status']).where('id', '=', userId).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return row ? { role: row.role as Role, status: row.status as UserStatus } : undefined;
}

export interface UserChange {
  name?: string;
  role?: Role;
  status?: 'active' | 'disabled';
  passwordHash?: string;
}

const isActiveAdmin = (r: { role: string; status: string }) => r.role === 'admin' && r.status === 'active';

/**
 * Changes a user. Refuses (409 LAST_ADMIN) a change that would leave the workspace without an active
 * admin: the check and the write share one transaction, and on PostgreSQL the workspace's user changes
 * take turns under an advisory lock, so two admins demoting each other at once cannot both succeed.
 */
export async function updateUser(store: Store, keyring: Keyring, workspaceId: string, id: string, change: UserChange, now = Date.now()): Promise<User> {
  const set: Partial<UsersTable> = { updated_at: now };
  if (change.name !== undefined) set.name = await keyring.encrypt(workspaceId, change.name);
  if (change.role !== undefined) set.role = change.role;
  if (change.status !== undefined) set.status = change.status;
  if (change.passwordHash !== undefined) set.password_hash = change.passwordHash;
  await store.db.transaction().execute(async (trx) => {
    if (store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`users:${workspaceId}`}))`.execute(trx);
    const row = await trx.selectFrom('users').select(['role', 'status', 'password_hash']).where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
    if (!row) throw new ParleyError('USER_NOT_FOUND');
    // Someone who never set a password stays invited when enabled again: they cannot sign in yet.
    if (set.status === 'active' && row.password_hash === null && set.password_hash === undefined) set.status = 'invited';
    const after = { role: set.role ?? row.role, status: set.status ?? row.status };
    if (isActiveAdmin(row) && !isActiveAdmin(after)) {
      const others = await trx
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', workspaceId)
        .where('role', '=', 'admin')
        .where('status', '=', 'active')
        .where('id', '<>', id)
        .executeTakeFirstOrThrow();
      if (Number(others.n) === 0) throw new ParleyError('LAST_ADMIN', { details: { userId: id } });
    }
    await trx.updateTable('users').set(set).where('id', '=', id).where('workspace_id', '=', workspaceId).execute();
  });
  return (await getUser(store.db, keyring, workspaceId, id))!;
}

/** Deletes a user with their memberships, sessions and invitations; the last active admin is refused (409 LAST_ADMIN). */
export async function deleteUser(store: Store, keyring: Keyring, workspaceId: string, id: string, now = Date.now()): Promise<void> {
  // Disabling first applies the last-admin rule under its lock, and ends the sessions' use at once.
  await updateUser(store, keyring, workspaceId, id, { status: 'disabled' }, now);
  await store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('team_members').where('user_id', '=', id).where('workspace_id', '=', workspaceId).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', id).where('workspace_id', '=', workspaceId).execute();
    await trx.deleteFrom('invitations').where('user_id', '=', id).where('workspace_id', '=', workspaceId).execute();
    await trx.deleteFrom('users').where('id', '=', id).where('workspace_id', '=', workspaceId).execute();
  });
}

/** Replaces a user's teams; every team must be of the workspace (404 TEAM_NOT_FOUND naming the first that is not). */
export async function setUserTeams(db: Db, workspaceId: string, userId: string, teamIds: string[]): Promise<void> {
  const unique = [...new Set(teamIds)];
  await db.transaction().execute(async (trx) => {
    if (unique.length) {
      const found = new Set((await trx.selectFrom('teams').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', unique).execute()).map((r) => r.id));
      const missing = unique.find((t) => !found.has(t));
      if (missing) throw new ParleyError('TEAM_NOT_FOUND', { field: '/teams', details: { teamId: missing } });
    }
    await trx.deleteFrom('team_members').where('user_id', '=', userId).where('workspace_id', '=', workspaceId).execute();
    if (unique.length) await trx.insertInto('team_members').values(unique.map((team_id) => ({ team_id, user_id: userId, workspace_id: workspaceId }))).execute();
  });
}

import type { Db, Store } from '../../db/database.js';
import type { Keyring } from '../../crypto/keyring.js';
import type { Role } from '../permissions.js';
import { createInvitation, pendingInvitation, useInvitation } from './invitation-queries.js';
import { checkPassword } from './password-rules.js';
import { hashPassword } from './passwords.js';
import { createUser, getUser, setUserTeams, updateUser, type User } from './user-queries.js';
import { revokeUserSessions } from '../sessions/session-queries.js';

/** Creates an invited user (no password yet) in their teams and an invitation; returns the invitation's token once. */
export async function inviteUser(
  db: Db,
  keyring: Keyring,
  input: { workspaceId: string; email: string; name?: string; role: Role; teams?: string[]; invitedBy: string; ttlMs: number },
  now = Date.now(),
): Promise<{ user: User; token: string; expiresAt: number }> {
  const created = await createUser(db, keyring, { workspaceId: input.workspaceId, email: input.email, name: input.name ?? '', role: input.role, status: 'invited', passwordHash: null }, now);
  if (input.teams?.length) await setUserTeams(db, input.workspaceId, created.id, input.teams);
  const { token, expiresAt } = await createInvitation(db, { workspaceId: input.workspaceId, userId: created.id, createdBy: input.invitedBy, ttlMs: input.ttlMs }, now);
  return { user: { ...created, teams: [...new Set(input.teams ?? [])].sort() }, token, expiresAt };
}

/** Creates an active user with a password (the CLI's first admin, the demo admin). */
export async function createUserWithPassword(
  db: Db,
  keyring: Keyring,
  input: { workspaceId: string; email: string; name?: string; role: Role; password: string },
  now = Date.now(),
): Promise<User> {
  checkPassword(input.password, input.email);
  return createUser(db, keyring, { workspaceId: input.workspaceId, email: input.email, name: input.name ?? '', role: input.role, status: 'active', passwordHash: await hashPassword(input.password) }, now);
}

/**
 * Accepts an invitation: the link's token is used up, the person's name and password are set and the
 * account becomes active. The password is checked before the link is used, so a refused password
 * leaves the link usable.
 */
export async function acceptInvitation(store: Store, keyring: Keyring, input: { token: string; name: string; password: string }, now = Date.now()): Promise<User> {
  const pending = await pendingInvitation(store.db, input.token, now);
  const user = await getUser(store.db, keyring, pending.workspaceId, pending.userId);
  checkPassword(input.password, user?.email ?? '');
  const passwordHash = await hashPassword(input.password);
  const { workspaceId, userId } = await useInvitation(store.db, input.token, now);
  await revokeUserSessions(store.db, workspaceId, userId, now);
  return updateUser(store, keyring, workspaceId, userId, { name: input.name, status: 'active', passwordHash }, now);
}

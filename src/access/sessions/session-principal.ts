import type { Db } from '../../db/database.js';
import { MINUTE } from '../../shared/time.js';
import { permissionsOfRole, type Role } from '../permissions.js';
import type { Principal } from '../principal.js';
import { sessionAccount, teamIdsOfUser } from '../users/user-queries.js';
import { findLiveSession, touchSession, type SessionRecord } from './session-queries.js';

/** The name of the console's session cookie. */
export const SESSION_COOKIE = 'parley_session';

/** Roles limited to their teams' conversations. */
const TEAM_LIMITED: ReadonlySet<Role> = new Set(['agent', 'supervisor']);

/** The principal of a signed-in person: their role's permissions; their teams if the role is limited to them. */
export function userPrincipal(workspaceId: string, userId: string, role: Role, teams: string[]): Principal {
  return { workspaceId, actor: { type: 'user', id: userId }, permissions: permissionsOfRole(role), teams: TEAM_LIMITED.has(role) ? teams : null, role };
}

/**
 * The session of a cookie and its principal, or undefined when the cookie names no live session of an
 * active user. Activity is written at most once a minute per session (the idle expiry is that coarse).
 */
export async function authenticateSession(db: Db, token: string, idleMs: number, now = Date.now()): Promise<{ session: SessionRecord; principal: Principal } | undefined> {
  const session = await findLiveSession(db, token, idleMs, now);
  if (!session) return undefined;
  const account = await sessionAccount(db, session.workspaceId, session.userId);
  if (!account || account.status !== 'active') return undefined;
  if (now - session.lastSeenAt >= MINUTE) await touchSession(db, session.id, now);
  const teams = TEAM_LIMITED.has(account.role) ? await teamIdsOfUser(db, session.userId) : [];
  return { session, principal: userPrincipal(session.workspaceId, session.userId, account.role, teams) };
}

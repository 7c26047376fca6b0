import type { Actor } from './actor.js';
import type { Permission, Role } from './permissions.js';

/**
 * Who is making a request, once authenticated: an API key or a signed-in person. Routes check
 * `permissions`; queries that list or open conversations narrow to `teams` (null: every team) through
 * `team-scope.ts`.
 */
export interface Principal {
  readonly workspaceId: string;
  readonly actor: Actor;
  readonly permissions: ReadonlySet<Permission>;
  /** The teams whose conversations this principal may see; null when not limited (keys, admins, analysts). */
  readonly teams: readonly string[] | null;
  /** Set for a person: their role. */
  readonly role?: Role;
  /** Set for an API key: its scopes (what a 403 names, as it did before permissions). */
  readonly scopes?: readonly string[];
}

export const holds = (principal: Principal, permission: Permission): boolean => principal.permissions.has(permission);

import type { Principal } from './principal.js';

/**
 * Team scoping: agents and supervisors see the conversations of their own teams only (the principal's
 * `teams`); keys, admins, analysts and developers are not limited (`teams: null`). The inbox's queries
 * and routes ask here, so the rule is written once:
 *
 * - `seesTeam(principal, teamId)` for one resource already loaded: a route answers 404 when it is
 *   false, as for a resource of another workspace, so that another team's ids tell nothing.
 * - `teamFilter(principal)` for a list: what a query must add, without naming a query builder
 *   (`all`: no condition; `teams`: `team_id in (...)`; `none`: no row, since a limited person in no team
 *   sees nothing).
 *
 * A resource with no team (`teamId` null) is visible only to principals who are not limited: a
 * conversation nobody has routed yet waits for an admin or a key to give it a team.
 */
export type TeamFilter = { kind: 'all' } | { kind: 'teams'; teamIds: readonly string[] } | { kind: 'none' };

export function teamFilter(principal: Pick<Principal, 'teams'>): TeamFilter {
  if (principal.teams === null) return { kind: 'all' };
  const teamIds = [...new Set(principal.teams)].sort();
  return teamIds.length ? { kind: 'teams', teamIds } : { kind: 'none' };
}

export function seesTeam(principal: Pick<Principal, 'teams'>, teamId: string | null): boolean {
  const filter = teamFilter(principal);
  if (filter.kind === 'all') return true;
  return filter.kind === 'teams' && teamId !== null && filter.teamIds.includes(teamId);
}

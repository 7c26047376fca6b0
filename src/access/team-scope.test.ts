import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES } from './permissions.js';
import { userPrincipal } from './sessions/session-principal.js';
import { seesTeam, teamFilter } from './team-scope.js';

const person = (role: (typeof ROLES)[number], teams: string[]) => userPrincipal('ws_1', 'usr_1', role, teams);

it('agents and supervisors see their own teams only; other roles and keys see every team', () => {
  for (const role of ['agent', 'supervisor'] as const) {
    const p = person(role, ['team_b', 'team_a']);
    assert.deepEqual(teamFilter(p), { kind: 'teams', teamIds: ['team_a', 'team_b'] }, role);
    assert.equal(seesTeam(p, 'team_a'), true, role);
    assert.equal(seesTeam(p, 'team_c'), false, `${role}: another team's resource`);
    assert.equal(seesTeam(p, null), false, `${role}: a resource no team has yet`);
  }
  for (const role of ['admin', 'analyst', 'developer'] as const) {
    const p = person(role, ['team_a']);
    assert.deepEqual(teamFilter(p), { kind: 'all' }, role);
    assert.equal(seesTeam(p, 'team_c'), true, role);
    assert.equal(seesTeam(p, null), true, role);
  }
  assert.equal(seesTeam({ teams: null }, 'team_x'), true, 'a key (teams null)');
});

it('a limited person in no team sees nothing, and the filter says so rather than matching every row', () => {
  const p = person('agent', []);
  assert.deepEqual(teamFilter(p), { kind: 'none' });
  assert.equal(seesTeam(p, 'team_a'), false);
  assert.equal(seesTeam(p, null), false);
});

it('the filter lists each team once, in a stable order', () => {
  assert.deepEqual(teamFilter({ teams: ['t2', 't1', 't2'] }), { kind: 'teams', teamIds: ['t1', 't2'] });
});

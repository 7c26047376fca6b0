import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CAPACITY, chooseAgent, mayHoldConversations, orderQueue, type Candidate, type TeamPolicy, type WaitingConversation } from './policy.js';

const TEAM = 'team_a';
const waiting = (over: Partial<WaitingConversation> = {}): WaitingConversation => ({ id: 'cnv_1', teamId: TEAM, lastUserId: null, createdAt: 1000, waitingSince: 1000, ...over });
const agent = (userId: string, over: Partial<Candidate> = {}): Candidate => ({ userId, teams: [TEAM], presence: 'online', capacity: 3, openLoad: 0, lastAssignedAt: null, ...over });
const roundRobin: TeamPolicy = { mode: 'round_robin', queueOrder: 'earliest_created', capacity: null };
const balanced: TeamPolicy = { mode: 'balanced', queueOrder: 'earliest_created', capacity: null };

describe('choosing an agent for a waiting conversation', () => {
  it('manual never assigns, even with an idle online agent', () => {
    assert.deepEqual(chooseAgent(waiting(), { mode: 'manual', queueOrder: 'earliest_created', capacity: null }, [agent('u1')]), { userId: null, why: 'manual' });
  });

  it('round robin picks the online agent with room who was assigned least recently (never assigned first)', () => {
    const agents = [agent('u1', { lastAssignedAt: 50 }), agent('u2', { lastAssignedAt: 10 }), agent('u3', { lastAssignedAt: 30, openLoad: 0 })];
    assert.deepEqual(chooseAgent(waiting(), roundRobin, agents), { userId: 'u2', rule: 'round_robin' });
    assert.deepEqual(chooseAgent(waiting(), roundRobin, [...agents, agent('u4', { lastAssignedAt: null, openLoad: 2 })]), { userId: 'u4', rule: 'round_robin' });
  });

  it('round robin ignores open load', () => {
    const agents = [agent('u1', { lastAssignedAt: 10, openLoad: 2 }), agent('u2', { lastAssignedAt: 20, openLoad: 0 })];
    assert.deepEqual(chooseAgent(waiting(), roundRobin, agents), { userId: 'u1', rule: 'round_robin' });
  });

  it('balanced picks the lowest open load; ties go to the least recently assigned', () => {
    const agents = [agent('u1', { openLoad: 2, lastAssignedAt: 1 }), agent('u2', { openLoad: 1, lastAssignedAt: 90 }), agent('u3', { openLoad: 1, lastAssignedAt: 40 })];
    assert.deepEqual(chooseAgent(waiting(), balanced, agents), { userId: 'u3', rule: 'balanced' });
  });

  it('an agent whose capacity is full is skipped; their own capacity, else the policy\'s, else the default', () => {
    assert.deepEqual(chooseAgent(waiting(), balanced, [agent('u1', { capacity: 1, openLoad: 1 }), agent('u2', { openLoad: 2 })]), { userId: 'u2', rule: 'balanced' });
    assert.deepEqual(chooseAgent(waiting(), balanced, [agent('u1', { capacity: 1, openLoad: 1 })]), { userId: null, why: 'no_agent_available' });
    assert.deepEqual(chooseAgent(waiting(), { ...balanced, capacity: 2 }, [agent('u1', { capacity: null, openLoad: 2 })]), { userId: null, why: 'no_agent_available' });
    assert.deepEqual(chooseAgent(waiting(), { ...balanced, capacity: 3 }, [agent('u1', { capacity: null, openLoad: 2 })]), { userId: 'u1', rule: 'balanced' });
    assert.deepEqual(chooseAgent(waiting(), balanced, [agent('u1', { capacity: null, openLoad: DEFAULT_CAPACITY })]), { userId: null, why: 'no_agent_available' });
    assert.deepEqual(chooseAgent(waiting(), balanced, [agent('u1', { capacity: 0 })]), { userId: null, why: 'no_agent_available' });
  });

  it('an agent who is away or offline is skipped', () => {
    for (const presence of ['away', 'offline'] as const) {
      assert.deepEqual(chooseAgent(waiting(), roundRobin, [agent('u1', { presence })]), { userId: null, why: 'no_agent_available' });
      assert.deepEqual(chooseAgent(waiting(), balanced, [agent('u1', { presence, openLoad: 0 }), agent('u2', { openLoad: 2 })]), { userId: 'u2', rule: 'balanced' });
    }
  });

  it('a returning customer goes to their previous agent when that agent is online with room, whatever the mode would pick', () => {
    const agents = [agent('u1', { openLoad: 0, lastAssignedAt: null }), agent('prev', { openLoad: 2, lastAssignedAt: 99 })];
    for (const policy of [roundRobin, balanced]) {
      assert.deepEqual(chooseAgent(waiting({ lastUserId: 'prev' }), policy, agents), { userId: 'prev', rule: 'returning_customer' });
    }
  });

  it('a returning customer whose previous agent is offline, away, full or no longer in the team goes by the normal rule', () => {
    const others = [agent('u1')];
    const cases: Candidate[] = [
      agent('prev', { presence: 'offline' }),
      agent('prev', { presence: 'away' }),
      agent('prev', { capacity: 1, openLoad: 1 }),
      agent('prev', { teams: ['team_b'] }),
    ];
    for (const prev of cases) {
      assert.deepEqual(chooseAgent(waiting({ lastUserId: 'prev' }), balanced, [prev, ...others]), { userId: 'u1', rule: 'balanced' }, JSON.stringify(prev));
    }
    assert.deepEqual(chooseAgent(waiting({ lastUserId: 'gone' }), roundRobin, others), { userId: 'u1', rule: 'round_robin' });
  });

  it('the person who released the conversation in this cycle is not given it back, even as its previous agent', () => {
    const agents = [agent('prev', { openLoad: 0 }), agent('u1', { openLoad: 2 })];
    assert.deepEqual(chooseAgent(waiting({ lastUserId: 'prev', releasedBy: 'prev' }), balanced, agents), { userId: 'u1', rule: 'balanced' });
    assert.deepEqual(chooseAgent(waiting({ lastUserId: 'prev', releasedBy: 'prev' }), balanced, [agent('prev')]), { userId: null, why: 'no_agent_available' });
  });

  it('only members of the conversation\'s team are candidates; a conversation with no team is not assigned', () => {
    assert.deepEqual(chooseAgent(waiting(), balanced, [agent('u1', { teams: ['team_b'] })]), { userId: null, why: 'no_agent_available' });
    assert.deepEqual(chooseAgent(waiting(), balanced, [agent('u1', { teams: ['team_b', TEAM] })]), { userId: 'u1', rule: 'balanced' });
    assert.deepEqual(chooseAgent(waiting({ teamId: null }), balanced, [agent('u1')]), { userId: null, why: 'no_team' });
  });

  it('only active agents, supervisors and admins may hold conversations', () => {
    assert.equal(mayHoldConversations({ role: 'agent', status: 'active' }), true);
    assert.equal(mayHoldConversations({ role: 'supervisor', status: 'active' }), true);
    assert.equal(mayHoldConversations({ role: 'admin', status: 'active' }), true);
    assert.equal(mayHoldConversations({ role: 'agent', status: 'disabled' }), false);
    assert.equal(mayHoldConversations({ role: 'agent', status: 'invited' }), false);
    assert.equal(mayHoldConversations({ role: 'analyst', status: 'active' }), false);
    assert.equal(mayHoldConversations({ role: 'developer', status: 'active' }), false);
  });
});

describe('ordering a team\'s queue', () => {
  const a = waiting({ id: 'a', createdAt: 100, waitingSince: 900 });
  const b = waiting({ id: 'b', createdAt: 200, waitingSince: 300 });
  const c = waiting({ id: 'c', createdAt: 300, waitingSince: null });
  const d = waiting({ id: 'd', createdAt: 50, waitingSince: 300 });

  it('earliest_created serves the oldest conversation first', () => {
    assert.deepEqual(orderQueue([c, b, a, d], 'earliest_created').map((x) => x.id), ['d', 'a', 'b', 'c']);
  });

  it('longest_waiting serves the oldest unanswered message first, ties by creation, nothing unanswered last', () => {
    assert.deepEqual(orderQueue([c, b, a, d], 'longest_waiting').map((x) => x.id), ['d', 'b', 'a', 'c']);
  });

  it('does not reorder its input', () => {
    const input = [c, a];
    orderQueue(input, 'earliest_created');
    assert.deepEqual(input.map((x) => x.id), ['c', 'a']);
  });
});

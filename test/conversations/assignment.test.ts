import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { signIn } from '../people/helpers.js';
import { assignWaiting } from '../../src/conversations/assignment/engine.js';
import { AssignmentSweep } from '../../src/conversations/assignment/sweep.js';
import { lockAgent, setPresence } from '../../src/conversations/assignment/agent-queries.js';
import { lockConversation } from '../../src/conversations/conversation-store.js';
import { record } from '../../src/conversations/transitions.js';
import { transition } from '../../src/conversations/state-machine.js';
import { sql } from 'kysely';
import { assignmentSetup } from './assignment-helpers.js';
import { createContext } from '../../src/main/create-context.js';
import { createLogger } from '../../src/observability/logger.js';

const owners = (list: Array<{ owner: { userId: string | null } }>) => list.map((c) => c.owner.userId);

describeStorage('Assignment: presence, capacity, returning customers, modes', (fx) => {
  it('a conversation that arrived while everyone was offline goes to the first agent who comes online (their own presence, from the console)', async () => {
    const s = await assignmentSetup(fx, { mode: 'balanced' });
    const agent = await s.person();
    await s.customer();
    const [waiting] = await s.conversations();
    assert.equal(waiting!.teamId, s.teamId, 'the sender policy routed it to the team');
    assert.deepEqual(waiting!.owner, { type: 'nobody', userId: null }, 'nobody online: it waits');

    const session = await signIn(s.app, agent.email);
    const res = await s.app.inject({ method: 'PUT', url: '/v1/agents/me/presence', headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken }, payload: { presence: 'online' } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().presence, 'online');
    assert.equal(res.json().openLoad, 1, 'coming online gave them the waiting conversation');
    const [assigned] = await s.conversations();
    assert.equal(assigned!.state, 'active');
    assert.equal(assigned!.owner.userId, agent.id);
    const event = (await s.events(assigned!.id)).find((e) => e.type === 'conversation.assigned')!;
    assert.equal(event.actor, 'system');
    assert.equal(event.reason, 'balanced');

    const agents = (await s.app.inject({ url: '/v1/agents', headers: s.key })).json().data;
    assert.deepEqual(agents.find((a: { userId: string }) => a.userId === agent.id), { ...res.json() });
  });

  it('an agent who is away or offline receives nothing; a key cannot set "my" presence', async () => {
    const s = await assignmentSetup(fx, { mode: 'round_robin' });
    const agent = await s.person();
    await s.presence(agent.id, 'away');
    await s.customer();
    assert.deepEqual(owners(await s.conversations()), [null]);
    const res = await s.app.inject({ method: 'PUT', url: '/v1/agents/me/presence', headers: s.key, payload: { presence: 'online' } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'AGENT_NEEDS_PERSON');
    await s.presence(agent.id, 'online');
    assert.deepEqual(owners(await s.conversations()), [agent.id]);
  });

  it('capacity is respected: an agent of capacity 1 gets one conversation, the second waits, and resolving the first gives them the second', async () => {
    const s = await assignmentSetup(fx, { mode: 'balanced' });
    const agent = await s.person();
    await s.capacity(agent.id, 1);
    await s.presence(agent.id, 'online');
    await s.customer();
    await s.customer();
    const [first, second] = await s.conversations();
    assert.equal(first!.owner.userId, agent.id);
    assert.deepEqual(second!.owner, { type: 'nobody', userId: null }, 'full: the second waits');

    await s.post(first!.id, 'resolve');
    const after = await s.conversations();
    assert.equal(after[1]!.owner.userId, agent.id, 'room freed: the second is theirs now');
    assert.equal(after[0]!.state, 'resolved');
  });

  it('the team policy\'s capacity applies to agents without their own; raising an agent\'s capacity gives out waiting work', async () => {
    const s = await assignmentSetup(fx, { mode: 'balanced', capacity: 1 });
    const agent = await s.person();
    await s.presence(agent.id, 'online');
    await s.customer();
    await s.customer();
    assert.deepEqual(owners(await s.conversations()), [agent.id, null]);
    const view = await s.capacity(agent.id, 2);
    assert.equal(view.openLoad, 2);
    assert.deepEqual(owners(await s.conversations()), [agent.id, agent.id]);
  });

  it('a returning customer goes back to their previous agent when online with room, and to another agent when not', async () => {
    const s = await assignmentSetup(fx, { mode: 'round_robin' });
    const [a, b] = [await s.person(), await s.person()];
    await s.presence(a.id, 'online');
    const customer = await s.customer();
    const [c] = await s.conversations();
    assert.equal(c!.owner.userId, a.id);
    await s.post(c!.id, 'resolve');

    // B is now the least recently assigned, but the customer's previous agent is online with room.
    await s.presence(b.id, 'online');
    await s.customer(customer);
    const [back] = await s.conversations();
    assert.equal(back!.id, c!.id, 'reopened within the reopen period');
    assert.equal(back!.owner.userId, a.id);
    assert.equal((await s.events(c!.id)).filter((e) => e.type === 'conversation.assigned').at(-1)!.reason, 'returning_customer');
    await s.post(c!.id, 'resolve');

    await s.presence(a.id, 'offline');
    await s.customer(customer);
    const [other] = await s.conversations();
    assert.equal(other!.owner.userId, b.id, 'the previous agent is offline: the normal rule chose');
    assert.equal((await s.events(c!.id)).filter((e) => e.type === 'conversation.assigned').at(-1)!.reason, 'round_robin');
  });

  it('round robin takes turns regardless of load; balanced gives work to the agent with the fewest open conversations', async () => {
    const rr = await assignmentSetup(fx, { mode: 'round_robin' });
    const [a, b] = [await rr.person(), await rr.person()];
    await rr.presence(a.id, 'online');
    await rr.presence(b.id, 'online');
    for (let i = 0; i < 4; i++) await rr.customer();
    const turns = owners(await rr.conversations());
    assert.equal(turns.filter((u) => u === a.id).length, 2, JSON.stringify(turns));
    assert.equal(turns.filter((u) => u === b.id).length, 2, JSON.stringify(turns));
    for (let i = 1; i < turns.length; i++) assert.notEqual(turns[i], turns[i - 1], 'turns alternate');

    const bal = await assignmentSetup(fx, { mode: 'balanced', capacity: 10 });
    const [x, y] = [await bal.person(), await bal.person()];
    await bal.presence(x.id, 'online');
    for (let i = 0; i < 3; i++) await bal.customer();
    assert.deepEqual(owners(await bal.conversations()), [x.id, x.id, x.id]);
    await bal.presence(y.id, 'online');
    for (let i = 0; i < 3; i++) await bal.customer();
    // Round robin would alternate; balanced fills the emptier agent until loads are level.
    assert.deepEqual(owners(await bal.conversations()).slice(3), [y.id, y.id, y.id]);
  });

  it('a released conversation goes to someone else, not back to the person who released it', async () => {
    const s = await assignmentSetup(fx, { mode: 'balanced' });
    const [a, b] = [await s.person(), await s.person()];
    await s.presence(a.id, 'online');
    await s.customer();
    const [c] = await s.conversations();
    assert.equal(c!.owner.userId, a.id);
    const session = await signIn(s.app, a.email);
    const released = await s.app.inject({ method: 'POST', url: `/v1/conversations/${c!.id}/release`, headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken }, payload: {} });
    assert.equal(released.statusCode, 200, released.body);
    assert.deepEqual(owners(await s.conversations()), [null], 'A released it and is the only one online: it waits');
    await s.presence(b.id, 'online');
    assert.deepEqual(owners(await s.conversations()), [b.id]);
  });

  it('a transfer to a team serves that team\'s queue; a manual team assigns nothing; escalated conversations wait for a supervisor', async () => {
    const s = await assignmentSetup(fx, { mode: 'manual' });
    const agent = await s.person();
    await s.presence(agent.id, 'online');
    await s.customer();
    const [c] = await s.conversations();
    assert.deepEqual(c!.owner, { type: 'nobody', userId: null }, 'manual: nobody assigns it');

    await s.put(`/v1/assignment-policies/team/${s.teamId}`, { mode: 'balanced' });
    assert.deepEqual(owners(await s.conversations()), [agent.id], 'the policy turned automatic: the queue is served');

    await s.post(c!.id, 'escalate', { reason: 'refund over the limit' });
    assert.equal((await s.conversations())[0]!.state, 'escalated');
    assert.deepEqual(await assignWaiting(s.ctx, s.workspaceId, s.teamId), [], 'escalated: left to a supervisor');

    await s.post(c!.id, 'transfer', { teamId: s.teamId });
    assert.deepEqual(owners(await s.conversations()), [agent.id], 'transferred to the team: its queue was served');
  });

  it('the sweep assigns what no trigger did (presence written directly, as after a crash)', async () => {
    const s = await assignmentSetup(fx, { mode: 'balanced' });
    const agent = await s.person();
    await s.customer();
    await setPresence(fx.db, s.workspaceId, agent.id, 'online', s.clock.now());
    assert.deepEqual(owners(await s.conversations()), [null]);
    const assigned = await new AssignmentSweep(s.ctx).runOnce();
    assert.ok(assigned >= 1);
    assert.deepEqual(owners(await s.conversations()), [agent.id]);
  });

  it('queue order: earliest_created serves the oldest conversation first, longest_waiting the oldest unanswered message', async () => {
    for (const queueOrder of ['earliest_created', 'longest_waiting'] as const) {
      const s = await assignmentSetup(fx, { mode: 'balanced', queueOrder });
      const agent = await s.person();
      await s.capacity(agent.id, 1);
      await s.customer();
      // The second customer's message was sent a minute before the first's but arrived later.
      await s.customer(undefined, s.clock.now() - 60_000);
      const [older, newer] = await s.conversations();
      await s.presence(agent.id, 'online');
      const [o, n] = await s.conversations();
      const expected = queueOrder === 'earliest_created' ? [agent.id, null] : [null, agent.id];
      assert.deepEqual([o!.owner.userId, n!.owner.userId], expected, queueOrder);
      assert.deepEqual([older!.id, newer!.id], [o!.id, n!.id]);
    }
  });

  it('concurrent runs (in one process, and on PostgreSQL in three with their own connections) never exceed an agent\'s capacity', async () => {
    const s = await assignmentSetup(fx, { mode: 'balanced', capacity: 2 });
    const [a, b] = [await s.person(), await s.person()];
    for (let i = 0; i < 10; i++) await s.customer();
    await setPresence(fx.db, s.workspaceId, a.id, 'online', s.clock.now());
    await setPresence(fx.db, s.workspaceId, b.id, 'online', s.clock.now());
    // Other processes on PostgreSQL: contexts with their own stores (own connection pools), as `parley
    // worker`s would have. Not on SQLite: connections of one thread would sleep the thread in SQLite's busy
    // handler while another holds the write lock (processes have a thread each; `parley start`'s two
    // threads take turns through the write turnstile).
    const others = (fx.dialect === 'postgres' ? [1, 2] : []).map(() => createContext({ config: fx.config(), masterKey: fx.masterKey, logger: createLogger({ level: 'silent' }), clock: s.clock }));
    try {
      await Promise.all([
        ...Array.from({ length: 6 }, () => assignWaiting(s.ctx, s.workspaceId, s.teamId)),
        ...others.flatMap((ctx) => Array.from({ length: 4 }, () => assignWaiting(ctx, s.workspaceId, s.teamId))),
        new AssignmentSweep(s.ctx).runOnce(),
        s.presence(a.id, 'online'),
        s.presence(b.id, 'online'),
      ]);
    } finally {
      for (const ctx of others) await ctx.store.close();
    }
    const list = await s.conversations();
    assert.equal(list.filter((c) => c.owner.userId === a.id).length, 2);
    assert.equal(list.filter((c) => c.owner.userId === b.id).length, 2);
    assert.equal(list.filter((c) => c.owner.type === 'nobody').length, 6);
    for (const c of list.filter((x) => x.owner.userId)) {
      assert.equal((await s.events(c.id)).filter((e) => e.type === 'conversation.assigned').length, 1, 'each assigned once');
    }
  });

  it('on PostgreSQL, an assignment waits for the agent\'s row while another process assigns to them, then counts that one too', { skip: fx.dialect !== 'postgres' && 'PostgreSQL row locks' }, async () => {
    const s = await assignmentSetup(fx, { mode: 'balanced', capacity: 1 });
    const agent = await s.person();
    await s.customer();
    await s.customer();
    const [head, second] = await s.conversations();
    await setPresence(fx.db, s.workspaceId, agent.id, 'online', s.clock.now());
    const other = createContext({ config: fx.config(), masterKey: fx.masterKey, logger: createLogger({ level: 'silent' }), clock: s.clock });
    try {
      let engine: Promise<unknown> | undefined;
      // "Another process" assigns the second conversation to the agent and, before committing, lets the
      // engine of this one start on the head of the queue.
      await fx.db.transaction().execute(async (trx) => {
        await lockAgent(trx, 'postgres', s.workspaceId, agent.id);
        const before = (await lockConversation(trx, 'postgres', s.workspaceId, second!.id))!;
        const result = transition(before, { type: 'assign', userId: agent.id }, s.clock.now());
        assert.ok(result.ok);
        await record(s.ctx, trx, before, result.next, result.changes, 'system', s.clock.now());
        engine = assignWaiting(other, s.workspaceId, s.teamId);
        // Commit only once the engine is blocked on a lock this transaction holds.
        for (;;) {
          const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(fx.db);
          if (waiting.rows[0]!.n > 0) break;
          await new Promise((resolve) => setImmediate(resolve));
        }
      });
      assert.deepEqual(await engine, [], 'the agent was full once the other assignment committed');
    } finally {
      await other.store.close();
    }
    const list = await s.conversations();
    assert.deepEqual(list.map((c) => c.owner.userId), [null, agent.id]);
    assert.equal(list[0]!.id, head!.id);
  });

  it('policies: a sender\'s names a team only, a team\'s names a mode; deleting one makes the team manual; writes are audited', async () => {
    const s = await assignmentSetup(fx, { mode: 'balanced', queueOrder: 'longest_waiting', capacity: 3 });
    const list = (await s.app.inject({ url: '/v1/assignment-policies', headers: s.key })).json().data;
    assert.deepEqual(list.map((p: { scope: string; teamId: string | null; mode: string | null; queueOrder: string | null; capacity: number | null }) => [p.scope, p.teamId, p.mode, p.queueOrder, p.capacity]), [
      ['sender', s.teamId, null, null, null],
      ['team', null, 'balanced', 'longest_waiting', 3],
    ]);
    const senderId = list[0].scopeId;
    const bad = [
      { url: `/v1/assignment-policies/sender/${senderId}`, payload: { teamId: s.teamId, mode: 'balanced' }, code: 'ASSIGNMENT_POLICY_INVALID' },
      { url: `/v1/assignment-policies/sender/${senderId}`, payload: {}, code: 'ASSIGNMENT_POLICY_INVALID' },
      { url: `/v1/assignment-policies/team/${s.teamId}`, payload: { teamId: s.teamId, mode: 'balanced' }, code: 'ASSIGNMENT_POLICY_INVALID' },
      { url: `/v1/assignment-policies/team/${s.teamId}`, payload: { queueOrder: 'longest_waiting' }, code: 'ASSIGNMENT_POLICY_INVALID' },
      { url: `/v1/assignment-policies/sender/${senderId}`, payload: { teamId: 'team_nope' }, code: 'TEAM_NOT_FOUND' },
      { url: '/v1/assignment-policies/sender/snd_nope', payload: { teamId: s.teamId }, code: 'SENDER_NOT_FOUND' },
      { url: '/v1/assignment-policies/team/team_nope', payload: { mode: 'balanced' }, code: 'TEAM_NOT_FOUND' },
    ];
    for (const b of bad) {
      const res = await s.app.inject({ method: 'PUT', url: b.url, headers: s.key, payload: b.payload });
      assert.equal(res.json().error?.code, b.code, `${b.url} ${JSON.stringify(b.payload)}: ${res.body}`);
      assert.ok(res.statusCode >= 400 && res.statusCode < 500);
    }
    assert.equal((await s.app.inject({ method: 'DELETE', url: `/v1/assignment-policies/team/${s.teamId}`, headers: s.key })).statusCode, 204);
    const again = await s.app.inject({ method: 'DELETE', url: `/v1/assignment-policies/team/${s.teamId}`, headers: s.key });
    assert.equal(again.json().error.code, 'ASSIGNMENT_POLICY_NOT_FOUND');
    const agent = await s.person();
    await s.presence(agent.id, 'online');
    await s.customer();
    assert.deepEqual(owners(await s.conversations()), [null], 'no team policy: manual');

    const actions = await fx.db.selectFrom('audit_entries').select(['action', 'resource_id']).where('workspace_id', '=', s.workspaceId).where('action', 'like', 'a%').orderBy('seq').execute();
    assert.deepEqual(actions.map((a) => a.action), ['assignment_policy.updated', 'assignment_policy.updated', 'assignment_policy.deleted', 'agent.presence_changed']);
    assert.equal(actions[3]!.resource_id, agent.id);
  });

  it('a supervisor sees and manages the agents of their own teams only', async () => {
    const s = await assignmentSetup(fx, { mode: 'balanced' });
    const mine = await s.person();
    const other = await s.person('agent', []);
    const supervisor = await s.person('supervisor');
    const session = await signIn(s.app, supervisor.email);
    const headers = { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
    const seen = (await s.app.inject({ url: '/v1/agents', headers })).json().data.map((a: { userId: string }) => a.userId).sort();
    assert.deepEqual(seen, [mine.id, supervisor.id].sort());
    const refused = await s.app.inject({ method: 'PATCH', url: `/v1/agents/${other.id}`, headers, payload: { capacity: 2 } });
    assert.equal(refused.statusCode, 404);
    assert.equal(refused.json().error.code, 'AGENT_NOT_FOUND');
    const allowed = await s.app.inject({ method: 'PATCH', url: `/v1/agents/${mine.id}`, headers, payload: { capacity: 2 } });
    assert.equal(allowed.statusCode, 200, allowed.body);
    assert.equal(allowed.json().capacity, 2);
  });
});

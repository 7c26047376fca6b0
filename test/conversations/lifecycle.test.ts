import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { ManualClock, insertSender, webhookContext } from '../webhooks/helpers.js';
import { makeUser, signIn } from '../people/helpers.js';
import { HOUR } from '../../src/shared/time.js';
import { customerWrites } from './helpers.js';
import { wakeDueSnoozes } from '../../src/conversations/snooze-worker.js';

describeStorage('Conversations: open, take, resolve, reopen', (fx) => {
  it('a customer message opens a pending conversation; more messages join it; resolution then a message within the period reopens it as cycle 2', async () => {
    const clock = new ManualClock();
    const ctx = webhookContext(fx, {}, clock);
    const app = await fx.app(ctx);
    const { authorization, workspaceId } = await fx.workspace();
    await insertSender(fx.db, ctx.keyring, { workspaceId });
    await customerWrites(app, ctx, { from: '16505550101' });
    await customerWrites(app, ctx, { from: '16505550101', text: 'anyone?' });
    const list = (await app.inject({ url: '/v1/conversations', headers: { authorization } })).json().data;
    assert.equal(list.length, 1, 'two messages, one conversation');
    const c = list[0];
    assert.equal(c.state, 'pending');
    assert.deepEqual(c.owner, { type: 'nobody', userId: null });
    const events = (await app.inject({ url: `/v1/conversations/${c.id}/events`, headers: { authorization } })).json().data;
    assert.deepEqual(events.map((e: { type: string }) => e.type), ['conversation.opened', 'conversation.message_in', 'conversation.message_in']);
    assert.ok(events.every((e: { seq: number }, i: number) => i === 0 || e.seq > events[i - 1].seq));

    const resolved = await app.inject({ method: 'POST', url: `/v1/conversations/${c.id}/resolve`, headers: { authorization } });
    assert.equal(resolved.statusCode, 200, resolved.body);
    assert.equal(resolved.json().conversation.state, 'resolved');
    assert.equal((await app.inject({ method: 'POST', url: `/v1/conversations/${c.id}/resolve`, headers: { authorization } })).json().error.code, 'CONVERSATION_STATE_CONFLICT');

    clock.advance(HOUR);
    await customerWrites(app, ctx, { from: '16505550101', text: 'one more thing' });
    const again = (await app.inject({ url: `/v1/conversations/${c.id}`, headers: { authorization } })).json();
    assert.equal(again.state, 'pending');
    assert.equal(again.cycle, 2);

    // Past the reopen period (48 hours by default) a new conversation starts.
    await app.inject({ method: 'POST', url: `/v1/conversations/${c.id}/resolve`, headers: { authorization } });
    clock.advance(49 * HOUR);
    await customerWrites(app, ctx, { from: '16505550101', text: 'hello again' });
    const after = (await app.inject({ url: '/v1/conversations', headers: { authorization } })).json().data;
    assert.equal(after.length, 2);
    assert.equal(after.filter((x: { current: boolean }) => x.current).length, 1);
    assert.notEqual(after.find((x: { current: boolean }) => x.current).id, c.id);
  });

  it('two agents taking the same conversation at once: exactly one wins, the other gets CONVERSATION_TAKEN', async () => {
    const ctx = webhookContext(fx);
    const app = await fx.app(ctx);
    const { authorization, workspaceId } = await fx.workspace();
    const phoneNumberId = '106540352249911';
    await insertSender(fx.db, ctx.keyring, { workspaceId, phoneNumberId });
    for (let round = 0; round < 4; round++) {
      await customerWrites(app, ctx, { from: `1650555020${round}`, phoneNumberId });
    }
    const list = (await app.inject({ url: '/v1/conversations', headers: { authorization } })).json().data;
    assert.equal(list.length, 4);
    const [a, b] = [await makeUser(ctx, workspaceId, 'admin'), await makeUser(ctx, workspaceId, 'admin')];
    const [sa, sb] = [await signIn(app, a.email), await signIn(app, b.email)];
    for (const c of list) {
      const take = (s: typeof sa) => app.inject({ method: 'POST', url: `/v1/conversations/${c.id}/take`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken }, payload: {} });
      const results = await Promise.all([take(sa), take(sb)]);
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409], results.map((r) => r.body).join('\n'));
      const loser = results.find((r) => r.statusCode === 409)!;
      assert.equal(loser.json().error.code, 'CONVERSATION_TAKEN');
      const winner = results.find((r) => r.statusCode === 200)!.json().conversation;
      const stored = (await app.inject({ url: `/v1/conversations/${c.id}`, headers: { authorization } })).json();
      assert.equal(stored.owner.userId, winner.owner.userId);
      assert.equal(stored.state, 'active');
    }
  });

  it('a snooze until a time ends by itself; a snooze until the customer writes ends on their message', async () => {
    const clock = new ManualClock();
    const ctx = webhookContext(fx, {}, clock);
    const app = await fx.app(ctx);
    const { authorization, workspaceId } = await fx.workspace();
    const phoneNumberId = '106540352249922';
    await insertSender(fx.db, ctx.keyring, { workspaceId, phoneNumberId });
    const list = async () => (await app.inject({ url: '/v1/conversations', headers: { authorization } })).json().data as Array<{ id: string }>;
    await customerWrites(app, ctx, { from: '16505550301', phoneNumberId });
    const [a] = await list();
    await customerWrites(app, ctx, { from: '16505550302', phoneNumberId });
    const b = (await list()).find((c) => c.id !== a!.id)!;
    const until = new Date(clock.now() + HOUR).toISOString();
    assert.equal((await app.inject({ method: 'POST', url: `/v1/conversations/${a!.id}/snooze`, headers: { authorization }, payload: { until } })).json().conversation.state, 'snoozed');
    assert.equal((await app.inject({ method: 'POST', url: `/v1/conversations/${b.id}/snooze`, headers: { authorization }, payload: {} })).json().conversation.state, 'snoozed');
    const past = await app.inject({ method: 'POST', url: `/v1/conversations/${a!.id}/snooze`, headers: { authorization }, payload: { until } });
    assert.equal(past.statusCode, 409, 'already snoozed');
    assert.equal(await wakeDueSnoozes(ctx), 0, 'not yet');
    clock.advance(HOUR);
    assert.equal(await wakeDueSnoozes(ctx), 1);
    const state = async (id: string) => (await app.inject({ url: `/v1/conversations/${id}`, headers: { authorization } })).json().state;
    assert.equal(await state(a!.id), 'pending');
    assert.equal(await state(b.id), 'snoozed', 'no time: waits for the customer');
    await customerWrites(app, ctx, { from: '16505550302', phoneNumberId, text: 'back' });
    assert.equal(await state(b.id), 'pending');
    const events = (await app.inject({ url: `/v1/conversations/${a!.id}/events`, headers: { authorization } })).json().data;
    const woke = events.find((e: { type: string }) => e.type === 'conversation.woke');
    assert.equal(woke.actor, 'system');
  });

  it('a contact merge moves the merged contact\'s conversations to the survivor; where both had a current one with the sender, the survivor\'s stays current', async () => {
    const ctx = webhookContext(fx);
    const app = await fx.app(ctx);
    const { authorization, workspaceId } = await fx.workspace();
    const phoneNumberId = '106540352249933';
    await insertSender(fx.db, ctx.keyring, { workspaceId, phoneNumberId });
    await customerWrites(app, ctx, { from: '16505550401', phoneNumberId });
    await customerWrites(app, ctx, { from: '16505550402', phoneNumberId });
    const before = (await app.inject({ url: '/v1/conversations', headers: { authorization } })).json().data as Array<{ id: string; contactId: string }>;
    assert.equal(before.length, 2);
    const [survivor, merged] = [before[0]!, before[1]!];
    const res = await app.inject({ method: 'POST', url: `/v1/contacts/${survivor.contactId}/merge`, headers: { authorization }, payload: { contactId: merged.contactId } });
    assert.equal(res.statusCode, 200, res.body);
    const after = (await app.inject({ url: `/v1/conversations?contactId=${survivor.contactId}`, headers: { authorization } })).json().data as Array<{ id: string; current: boolean }>;
    assert.deepEqual(after.map((c) => c.id).sort(), [survivor.id, merged.id].sort());
    assert.deepEqual(after.filter((c) => c.current).map((c) => c.id), [survivor.id]);
    // The survivor's next message joins its current conversation.
    const wrote = await customerWrites(app, ctx, { from: '16505550402', phoneNumberId, text: 'still me' });
    assert.ok(wrote);
    const current = (await app.inject({ url: `/v1/conversations?contactId=${survivor.contactId}`, headers: { authorization } })).json().data.filter((c: { current: boolean }) => c.current);
    assert.equal(current.length, 1);
  });
});


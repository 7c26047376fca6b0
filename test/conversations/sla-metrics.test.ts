import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { ManualClock, insertSender, webhookContext } from '../webhooks/helpers.js';
import { makeUser, signIn } from '../people/helpers.js';
import { HOUR, MINUTE } from '../../src/shared/time.js';
import type { ParleyApp } from '../../src/http/types.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import { changeConversation } from '../../src/conversations/transitions.js';
import { recordCycle } from '../../src/conversations/record-cycle.js';
import { SlaWorker } from '../../src/conversations/sla-worker.js';
import type { ConversationCommand } from '../../src/conversations/state-machine.js';
import { customerWrites, currentConversation } from './helpers.js';

/** Thursday 2026-01-15, 09:00 in Berlin (UTC+1): a whole second, as webhook timestamps are. */
const THURSDAY_9 = Date.UTC(2026, 0, 15, 8);
const NINE_TO_FIVE = { start: '09:00', end: '17:00' };
const BERLIN_WEEK = { timeZone: 'Europe/Berlin', week: { mon: [NINE_TO_FIVE], tue: [NINE_TO_FIVE], wed: [NINE_TO_FIVE], thu: [NINE_TO_FIVE], fri: [NINE_TO_FIVE] }, holidays: ['2026-12-25'] };

/** A workspace with a sender of `phoneNumberId` (each test its own: a number belongs to one sender). */
async function setUp(fx: Parameters<Parameters<typeof describeStorage>[1]>[0], phoneNumberId?: string) {
  const clock = new ManualClock(THURSDAY_9);
  const ctx = webhookContext(fx, {}, clock);
  const app = await fx.app(ctx);
  const { authorization, workspaceId } = await fx.workspace();
  if (phoneNumberId) await insertSender(fx.db, ctx.keyring, { workspaceId, phoneNumberId });
  return { clock, ctx, app, auth: { authorization }, workspaceId };
}

/** A command straight through the transitions (the bot and the reply API come in later issues). */
const command = (ctx: ParleyContext, workspaceId: string, conversationId: string, c: ConversationCommand, actor: 'bot' | `user:${string}` = 'user:agent') =>
  changeConversation(ctx, { workspaceId, conversationId, command: c, actor });
let replies = 0;
const humanReply = (ctx: ParleyContext, workspaceId: string, conversationId: string) => command(ctx, workspaceId, conversationId, { type: 'outbound', messageId: `msg_reply_${++replies}`, human: true });

async function get(app: ParleyApp, auth: Record<string, string>, url: string) {
  const res = await app.inject({ url, headers: auth });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

describeStorage('Conversations: metrics per cycle and SLA alerts, under a fake clock', (fx) => {
  it('measures each cycle apart: a reopening within the period is cycle 2 with its own figures, the bot\'s time is left out of its first response, business hours in the workspace\'s time zone, counted on the local day it closed', async () => {
    const phoneNumberId = '106540352249931';
    const { clock, ctx, app, auth, workspaceId } = await setUp(fx, phoneNumberId);
    const put = await app.inject({ method: 'PUT', url: '/v1/conversations/settings/business-hours', headers: auth, payload: BERLIN_WEEK });
    assert.equal(put.statusCode, 200, put.body);
    assert.deepEqual((await get(app, auth, '/v1/conversations/settings/business-hours')).businessHours, BERLIN_WEEK);

    // Cycle 1: opened Thursday 09:00, a person replies at 09:30, resolved at 00:30 Friday local (23:30 UTC Thursday).
    await customerWrites(app, ctx, { from: '16505550301', phoneNumberId });
    const c = (await currentConversation(app, auth, (await get(app, auth, '/v1/conversations')).data[0].contactId))!;
    clock.advance(30 * MINUTE);
    await humanReply(ctx, workspaceId, c.id);
    clock.advance(15 * HOUR);
    const resolved = await app.inject({ method: 'POST', url: `/v1/conversations/${c.id}/resolve`, headers: auth });
    assert.equal(resolved.statusCode, 200, resolved.body);

    // Cycle 2: the customer writes again Friday 10:00 local, within the reopen period. The bot holds it
    // 10:10–10:30, hands off, a person replies at 10:35, resolved at 10:50.
    clock.time = Date.UTC(2026, 0, 16, 9);
    await customerWrites(app, ctx, { from: '16505550301', text: 'one more thing', phoneNumberId });
    assert.equal((await get(app, auth, `/v1/conversations/${c.id}`)).cycle, 2);
    clock.advance(10 * MINUTE);
    await command(ctx, workspaceId, c.id, { type: 'bot_take' }, 'bot');
    clock.advance(20 * MINUTE);
    await command(ctx, workspaceId, c.id, { type: 'handoff', reason: 'asked for a person', teamId: null }, 'bot');
    clock.advance(5 * MINUTE);
    await humanReply(ctx, workspaceId, c.id);
    clock.advance(15 * MINUTE);
    assert.equal((await app.inject({ method: 'POST', url: `/v1/conversations/${c.id}/resolve`, headers: auth })).statusCode, 200);

    const thursday = await get(app, auth, '/v1/conversations/metrics?from=2026-01-15&to=2026-01-15');
    assert.deepEqual(thursday.days, [], 'cycle 1 closed after midnight in Berlin: it counts on Friday, not on its UTC day');
    const friday = await get(app, auth, '/v1/conversations/metrics?from=2026-01-15&to=2026-01-16');
    assert.equal(friday.days.length, 1);
    const day = friday.days[0];
    assert.equal(day.day, '2026-01-16');
    assert.equal(day.cycles, 2);
    // First responses: 30 min (cycle 1) and 5 min from the hand-off (cycle 2), the bot's 20 min not counted.
    assert.deepEqual(day.firstResponse.wall, { count: 2, avgMs: 17.5 * MINUTE, medianMs: 5 * MINUTE, p90Ms: 30 * MINUTE });
    assert.deepEqual(day.firstResponse.business, day.firstResponse.wall, 'both replies came within business hours');
    // Resolutions: 15 h 30 (cycle 1; 8 business hours: Thursday 09:00–17:00) and 50 min (cycle 2), not stretched by the reopening.
    assert.deepEqual(day.resolution.wall, { count: 2, avgMs: (15.5 * HOUR + 50 * MINUTE) / 2, medianMs: 50 * MINUTE, p90Ms: 15.5 * HOUR });
    assert.deepEqual(day.resolution.business, { count: 2, avgMs: (8 * HOUR + 50 * MINUTE) / 2, medianMs: 50 * MINUTE, p90Ms: 8 * HOUR });
    assert.deepEqual(day.bot.wall, { count: 2, avgMs: 10 * MINUTE, medianMs: 0, p90Ms: 20 * MINUTE });
    assert.deepEqual(day.resolutionWithoutBot.wall, { count: 2, avgMs: (15.5 * HOUR + 30 * MINUTE) / 2, medianMs: 30 * MINUTE, p90Ms: 15.5 * HOUR });

    // The resolution is recorded once however often its event is handled.
    await recordCycle(ctx, { type: 'conversation.changed', workspaceId, conversationId: c.id, senderId: c.senderId, contactId: c.contactId, seq: 1, event: 'conversation.resolved', actor: 'system', reason: null, teamId: null, cycle: 2, state: 'resolved', ownerType: 'nobody', ownerUserId: null, data: { cycleStartedAt: Date.UTC(2026, 0, 16, 9) }, at: clock.now() });
    assert.equal((await get(app, auth, '/v1/conversations/metrics?from=2026-01-16&to=2026-01-16')).total.cycles, 2);

    const agent = await makeUser(ctx, workspaceId, 'analyst');
    const session = await signIn(app, agent.email);
    const asAnalyst = await app.inject({ url: '/v1/conversations/metrics?from=2026-01-16&to=2026-01-16', headers: { cookie: session.cookie } });
    assert.equal(asAnalyst.statusCode, 200, 'an analyst reads the metrics');
    const bad = await app.inject({ url: '/v1/conversations/metrics?from=2026-01-16&to=2026-01-15', headers: auth });
    assert.equal(bad.json().error.code, 'METRICS_RANGE_INVALID');
  });

  it('records a near breach then a breach of the first-response target once each, its clock paused while snoozed, as conversation events, listed and counted', async () => {
    const phoneNumberId = '106540352249932';
    const { clock, ctx, app, auth, workspaceId } = await setUp(fx, phoneNumberId);
    const created = await app.inject({ method: 'POST', url: '/v1/sla-policies', headers: auth, payload: { name: 'Standard', scope: 'default', firstResponseMinutes: 10, nextResponseMinutes: null, resolutionMinutes: 120, businessHours: false } });
    assert.equal(created.statusCode, 201, created.body);
    const worker = new SlaWorker(ctx);
    await customerWrites(app, ctx, { from: '16505550401', phoneNumberId });
    const c = (await get(app, auth, '/v1/conversations')).data[0];

    clock.advance(5 * MINUTE);
    assert.deepEqual((await worker.runOnce()).alerts, []);
    clock.advance(3 * MINUTE);
    const near = (await worker.runOnce()).alerts;
    assert.deepEqual(near.map((a) => [a.kind, a.level, a.dueAt]), [['first_response', 'near_breach', THURSDAY_9 + 8 * MINUTE]]);
    assert.deepEqual((await worker.runOnce()).alerts, [], 'recorded once');

    clock.advance(MINUTE);
    const snoozed = await app.inject({ method: 'POST', url: `/v1/conversations/${c.id}/snooze`, headers: auth, payload: { until: new Date(clock.now() + 3 * HOUR).toISOString() } });
    assert.equal(snoozed.statusCode, 200, snoozed.body);
    clock.advance(50 * MINUTE);
    assert.deepEqual((await worker.runOnce()).alerts, [], 'no breach while snoozed: 9 minutes used');
    const clocks = await get(app, auth, `/v1/conversations/${c.id}/sla`);
    assert.deepEqual(clocks.targets.map((t: { target: string; status: string }) => [t.target, t.status]), [['first_response', 'near_breach'], ['resolution', 'paused']]);
    assert.equal(clocks.targets[0].elapsedMs, 9 * MINUTE);

    // The customer writes: the conversation wakes and the clock runs again; one minute later it breaches.
    await customerWrites(app, ctx, { from: '16505550401', text: 'hello?', phoneNumberId });
    const woke = clock.now();
    clock.advance(MINUTE);
    const breach = (await worker.runOnce()).alerts;
    assert.deepEqual(breach.map((a) => [a.kind, a.level, a.dueAt]), [['first_response', 'breach', woke + MINUTE]]);

    const events = (await get(app, auth, `/v1/conversations/${c.id}/events`)).data.map((e: { type: string }) => e.type);
    assert.deepEqual(events.filter((t: string) => t.startsWith('conversation.sla_')), ['conversation.sla_near_breach', 'conversation.sla_breached']);
    const listed = await get(app, auth, '/v1/sla/breaches?state=open');
    assert.deepEqual(listed.data.map((a: { conversationId: string; target: string; level: string }) => [a.conversationId, a.target, a.level]), [[c.id, 'first_response', 'breach']]);
    assert.equal((await get(app, auth, '/v1/sla/breaches?state=open&level=near_breach')).data.length, 1);

    // An agent of no team sees none of it (the conversation has no team yet).
    const agent = await makeUser(ctx, workspaceId, 'agent');
    const session = await signIn(app, agent.email);
    const asAgent = await app.inject({ url: '/v1/sla/breaches?state=all', headers: { cookie: session.cookie } });
    assert.equal(asAgent.statusCode, 200, asAgent.body);
    assert.deepEqual(asAgent.json().data, []);

    const metrics = await (await app.inject({ url: '/metrics' })).body;
    assert.match(metrics, /parley_sla_alerts_total\{target="first_response",level="breach"\} 1/);
    assert.match(metrics, /parley_conversations_open\{state="pending"\} [1-9]/);

    assert.equal((await app.inject({ method: 'POST', url: `/v1/conversations/${c.id}/resolve`, headers: auth })).statusCode, 200);
    assert.deepEqual((await get(app, auth, '/v1/sla/breaches?state=open')).data, []);
    assert.equal((await get(app, auth, '/v1/sla/breaches?state=closed')).data.length, 1);
  });

  it('counts a business-hours target only in open hours and not while the bot owns the conversation: due the next morning', async () => {
    const phoneNumberId = '106540352249934';
    const { clock, ctx, app, auth, workspaceId } = await setUp(fx, phoneNumberId);
    assert.equal((await app.inject({ method: 'PUT', url: '/v1/conversations/settings/business-hours', headers: auth, payload: BERLIN_WEEK })).statusCode, 200);
    const created = await app.inject({ method: 'POST', url: '/v1/sla-policies', headers: auth, payload: { name: 'Office', scope: 'sender', scopeId: (await get(app, auth, '/v1/senders')).data[0].id, firstResponseMinutes: 60, nextResponseMinutes: null, resolutionMinutes: null, businessHours: true } });
    assert.equal(created.statusCode, 201, created.body);
    const worker = new SlaWorker(ctx);

    // Thursday 16:30 local: the bot takes it at once and hands off at 16:40; 20 business minutes are used by 17:00.
    clock.time = Date.UTC(2026, 0, 15, 15, 30);
    await customerWrites(app, ctx, { from: '16505550501', phoneNumberId });
    const c = (await get(app, auth, '/v1/conversations')).data[0];
    await command(ctx, workspaceId, c.id, { type: 'bot_take' }, 'bot');
    clock.advance(10 * MINUTE);
    await command(ctx, workspaceId, c.id, { type: 'handoff', reason: 'needs a person', teamId: null }, 'bot');

    clock.time = Date.UTC(2026, 0, 16, 8, 27); // Friday 09:27: 47 minutes used
    assert.deepEqual((await worker.runOnce()).alerts, [], 'the evening and the night do not count');
    clock.time = Date.UTC(2026, 0, 16, 8, 28);
    assert.deepEqual((await worker.runOnce()).alerts.map((a) => [a.level, a.dueAt]), [['near_breach', Date.UTC(2026, 0, 16, 8, 28)]]);
    clock.time = Date.UTC(2026, 0, 16, 8, 45);
    assert.deepEqual((await worker.runOnce()).alerts.map((a) => [a.level, a.dueAt]), [['breach', Date.UTC(2026, 0, 16, 8, 40)]], 'due at 09:40 local: 60 business minutes less the bot\'s 10');
  });

  it('keeps the policies and business hours consistent: one per scope, business-hours targets need business hours, unknown zones and teams refused', async () => {
    const { app, auth } = await setUp(fx);
    const post = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/v1/sla-policies', headers: auth, payload: { name: 'P', scope: 'default', firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: null, businessHours: false, ...payload } });
    const first = await post({});
    assert.equal(first.statusCode, 201, first.body);
    const again = await post({});
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'SLA_POLICY_SCOPE_TAKEN');
    assert.equal(again.json().error.details.policyId, first.json().id);
    assert.equal((await post({ scope: 'team', scopeId: 'team_nope' })).json().error.code, 'TEAM_NOT_FOUND');
    assert.equal((await post({ scope: 'team' })).json().error.code, 'SLA_POLICY_INVALID');
    assert.equal((await post({ scope: 'sender', scopeId: 'snd_x', firstResponseMinutes: null, nextResponseMinutes: null })).json().error.code, 'SLA_POLICY_INVALID');
    assert.equal((await post({ scope: 'sender', scopeId: 'snd_nope' })).json().error.code, 'SENDER_NOT_FOUND');
    assert.equal((await post({ scope: 'sender', scopeId: 'snd_nope', businessHours: true })).json().error.code, 'SENDER_NOT_FOUND');
    const noHours = await app.inject({ method: 'PUT', url: `/v1/sla-policies/${first.json().id}`, headers: auth, payload: { name: 'P', scope: 'default', firstResponseMinutes: 30, nextResponseMinutes: null, resolutionMinutes: null, businessHours: true } });
    assert.equal(noHours.json().error.code, 'BUSINESS_HOURS_MISSING');

    const badZone = await app.inject({ method: 'PUT', url: '/v1/conversations/settings/business-hours', headers: auth, payload: { ...BERLIN_WEEK, timeZone: 'Europe/Atlantis' } });
    assert.equal(badZone.statusCode, 400);
    assert.deepEqual([badZone.json().error.code, badZone.json().error.field], ['BUSINESS_HOURS_INVALID', '/timeZone']);
    assert.equal((await app.inject({ method: 'PUT', url: '/v1/conversations/settings/business-hours', headers: auth, payload: BERLIN_WEEK })).statusCode, 200);
    const updated = await app.inject({ method: 'PUT', url: `/v1/sla-policies/${first.json().id}`, headers: auth, payload: { name: 'Office hours', scope: 'default', firstResponseMinutes: 30, nextResponseMinutes: null, resolutionMinutes: 480, businessHours: true, nearBreachPercent: 75 } });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.deepEqual((await get(app, auth, '/v1/sla-policies')).data.map((p: { name: string; businessHours: boolean; resolutionMinutes: number; nearBreachPercent: number }) => [p.name, p.businessHours, p.resolutionMinutes, p.nearBreachPercent]), [['Office hours', true, 480, 75]]);
    const audit = await get(app, auth, '/v1/audit?limit=50');
    assert.ok(['sla_policy.created', 'sla_policy.updated', 'business_hours.updated'].every((a) => audit.data.some((e: { action: string }) => e.action === a)), 'writes are audited');
    assert.equal((await app.inject({ method: 'DELETE', url: `/v1/sla-policies/${first.json().id}`, headers: auth })).statusCode, 204);
    assert.equal((await app.inject({ url: `/v1/sla-policies/${first.json().id}`, headers: auth })).json().error.code, 'SLA_POLICY_NOT_FOUND');
  });
});

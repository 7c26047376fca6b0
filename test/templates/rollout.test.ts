import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { resolveIntent } from '../../src/templates/index.js';
import { checkRollouts } from '../../src/templates/variants/rollout-guard.js';
import { MINUTE, SECOND } from '../../src/shared/time.js';
import { api } from './harness/api.js';
import { contextWithClock, deliver, insertCloudSender, testClock } from './harness/setup.js';
import { contacts, liveTemplate, recordReply, recordSend } from './harness/seed.js';

const WABA = 'waba_rollout';
const promo = (lead: string) => [
  { type: 'BODY' as const, text: `${lead} {{1}}, spring prices are in: {{2}} off this week.`, example: { body_text: [['Asha', '20%']] } },
  { type: 'FOOTER' as const, text: 'Reply STOP to opt out' },
];

// A/B variants and a guarded canary rollout. Sends are recorded in `messages` as the outbound pipeline
// records intent sends (intent, template, metadata.variant), and opt-outs arrive as
// `contact.marketing_stopped` events: the full path through the emulator's personas needs webhook
// ingestion and the consent module, which are not on main yet.
describeStorage('variants and rollouts', (fx) => {
  async function setUp() {
    const clock = testClock(Date.UTC(2026, 2, 1));
    const ctx = contextWithClock(fx, clock);
    const app = await fx.app(ctx);
    const ws = await fx.workspace(['admin']);
    const senderId = await insertCloudSender(ctx, ws.workspaceId, { baseUrl: 'http://127.0.0.1:9', token: 't', wabaId: WABA });
    const client = api(app, ws.authorization);
    await liveTemplate(ctx, ws.workspaceId, { wabaId: WABA, name: 'spring_a', language: 'en_US', category: 'MARKETING', components: promo('Hi') });
    await liveTemplate(ctx, ws.workspaceId, { wabaId: WABA, name: 'spring_b', language: 'en_US', category: 'MARKETING', components: promo('Hey') });
    await client.ok('POST', '/v1/intents', { name: 'spring_promo', template: { name: 'spring_a', body: ['name', 'discount'] } }, 201);
    const control = await client.ok('POST', '/v1/intents/spring_promo/variants', { name: 'control', weight: 100 }, 201);
    const bold = await client.ok('POST', '/v1/intents/spring_promo/variants', { name: 'bold', weight: 0, template: { name: 'spring_b', body: ['name', 'discount'] } }, 201);
    assert.equal(control.isControl, true, 'the first variant is the control');
    assert.equal(bold.isControl, false);
    return { clock, ctx, ws, senderId, client, control, bold };
  }

  /** Resolves the intent for each contact and records the send as the pipeline would. */
  async function send(s: Awaited<ReturnType<typeof setUp>>, contactIds: string[], status: 'delivered' | 'read' = 'delivered') {
    const byVariant = new Map<string, string[]>();
    for (const contactId of contactIds) {
      const r = await resolveIntent(s.ctx, { workspaceId: s.ws.workspaceId, senderId: s.senderId, contactId, contactLanguage: 'en_US', intent: 'spring_promo', params: { name: 'Asha', discount: '20%' }, windowOpen: false });
      assert.ok(r.kind === 'template' && r.variant, JSON.stringify(r));
      assert.equal(r.name, r.variant.name === 'bold' ? 'spring_b' : 'spring_a', 'each variant sends its own template');
      await recordSend(s.ctx, { workspaceId: s.ws.workspaceId, senderId: s.senderId, contactId, intent: 'spring_promo', templateName: r.name, language: r.language, variantId: r.variant.id, status });
      byVariant.set(r.variant.name, [...(byVariant.get(r.variant.name) ?? []), contactId]);
    }
    return byVariant;
  }

  it('a rollout advances through its stages and halts the variant when its opt-out rate breaches the guardrail', async () => {
    const s = await setUp();
    const { client, clock, bold, ctx, ws } = s;
    await client.fails('POST', '/v1/intents/spring_promo/rollouts', { variantId: s.control.id, stages: [{ percent: 100 }] }, 400, 'ROLLOUT_INVALID');
    await client.fails('POST', '/v1/intents/spring_promo/rollouts', { variantId: bold.id, stages: [{ percent: 50 }, { percent: 10 }] }, 400, 'ROLLOUT_INVALID');
    const rollout = await client.ok('POST', '/v1/intents/spring_promo/rollouts', {
      variantId: bold.id,
      stages: [{ percent: 10, minMessages: 20 }, { percent: 50, minMessages: 60, holdMinutes: 30 }, { percent: 100 }],
      guardrails: { minSample: 30, maxOptOutRateIncrease: 0.05 },
    }, 201);
    assert.equal(rollout.currentPercent, 10);
    await client.fails('POST', '/v1/intents/spring_promo/rollouts', { variantId: bold.id, stages: [{ percent: 100 }] }, 409, 'ROLLOUT_RUNNING');

    clock.advance(SECOND);
    const first = await contacts(ctx, ws.workspaceId, 300);
    const stage1 = await send(s, first);
    const boldShare = (stage1.get('bold') ?? []).length / first.length;
    assert.ok(boldShare > 0.05 && boldShare < 0.16, `about 10% get the canary (${boldShare})`);
    // Assignment is sticky: the same contacts get the same variants again.
    const again = await send(s, first.slice(0, 50));
    for (const [variant, ids] of again) for (const id of ids) assert.ok(stage1.get(variant)!.includes(id));

    clock.advance(MINUTE);
    assert.deepEqual((await checkRollouts(ctx)).map((r) => r.action), ['advance']);
    assert.equal((await client.ok('GET', '/v1/intents/spring_promo/rollouts')).data[0].currentPercent, 50);

    clock.advance(SECOND);
    const second = await contacts(ctx, ws.workspaceId, 200, 300);
    const stage2 = await send(s, second);
    const canary2 = stage2.get('bold') ?? [];
    assert.ok(canary2.length / second.length > 0.35, `about half get the canary at 50% (${canary2.length})`);
    for (const id of stage1.get('bold')!) {
      const r = await resolveIntent(ctx, { workspaceId: ws.workspaceId, senderId: s.senderId, contactId: id, contactLanguage: 'en_US', intent: 'spring_promo', params: { name: 'A', discount: '1%' }, windowOpen: false });
      assert.equal(r.variant?.name, 'bold', 'contacts exposed at 10% stay in the canary at 50%');
    }
    assert.deepEqual((await checkRollouts(ctx)).map((r) => r.action), ['hold'], 'the 30-minute hold is not over');

    // The canary's recipients start opting out (the emulator persona "unsubscriber" would reply STOP).
    const stoppers = canary2.slice(0, Math.ceil(canary2.length * 0.2));
    clock.advance(MINUTE);
    for (const contactId of stoppers) await deliver(ctx, { type: 'contact.marketing_stopped', workspaceId: ws.workspaceId, contactId, source: 'keyword', at: clock.now() });
    // Redelivery of an event counts once.
    await deliver(ctx, { type: 'contact.marketing_stopped', workspaceId: ws.workspaceId, contactId: stoppers[0], source: 'keyword', at: clock.now() });

    const [halt] = await checkRollouts(ctx);
    assert.equal(halt.action, 'halt');
    assert.match(halt.why, /opt out rate .* vs control 0.00%/);
    const after = (await client.ok('GET', '/v1/intents/spring_promo/rollouts')).data[0];
    assert.equal(after.state, 'halted');
    const variants = (await client.ok('GET', '/v1/intents/spring_promo/variants')).data;
    assert.equal(variants.find((v: { name: string }) => v.name === 'bold').state, 'halted');

    const alert = (await client.ok('GET', '/v1/templates/alerts?type=variant.halted')).data[0];
    assert.equal(alert.data.variant, 'bold');
    assert.equal(alert.data.breaches[0].metric, 'opt_out_rate');
    assert.deepEqual(await checkRollouts(ctx), [], 'nothing left running');

    // Halted: everyone, canary contacts included, gets the control again.
    for (const id of stoppers.concat(stage1.get('bold')!)) {
      const r = await resolveIntent(ctx, { workspaceId: ws.workspaceId, senderId: s.senderId, contactId: id, contactLanguage: 'en_US', intent: 'spring_promo', params: { name: 'A', discount: '1%' }, windowOpen: false });
      assert.equal(r.variant?.name, 'control');
    }

    const results = (await client.ok('GET', '/v1/intents/spring_promo/results')).data;
    const boldResults = results.find((r: { name: string }) => r.name === 'bold');
    assert.equal(boldResults.counts.optedOut, stoppers.length);
    assert.equal(boldResults.counts.sent, stage1.get('bold')!.length + (again.get('bold') ?? []).length + canary2.length);
    assert.ok(boldResults.rates.optOutRate > 0.05);
  });

  it('a rollout completes when its last stage is done, and a healthy canary passes the guardrails', async () => {
    const s = await setUp();
    const { client, clock, bold, ctx, ws } = s;
    await client.ok('POST', '/v1/intents/spring_promo/rollouts', { variantId: bold.id, stages: [{ percent: 20, holdMinutes: 60 }, { percent: 100, minMessages: 5 }], guardrails: { minSample: 10 } }, 201);
    clock.advance(SECOND);
    await send(s, await contacts(ctx, ws.workspaceId, 100), 'read');
    assert.deepEqual((await checkRollouts(ctx)).map((r) => r.action), ['hold']);
    clock.advance(60 * MINUTE);
    assert.deepEqual((await checkRollouts(ctx)).map((r) => r.action), ['advance']);
    clock.advance(SECOND);
    const all = await send(s, await contacts(ctx, ws.workspaceId, 10, 100), 'read');
    assert.deepEqual([...all.keys()], ['bold'], 'at 100% everyone gets the canary');
    assert.deepEqual((await checkRollouts(ctx)).map((r) => r.action), ['complete']);
    assert.equal((await client.ok('GET', '/v1/intents/spring_promo/rollouts')).data[0].state, 'completed');
    assert.equal((await client.ok('GET', '/v1/templates/alerts?type=rollout.completed')).data.length, 1);
  });

  it('results per variant count sent, delivered, read, replied, failed and opted out; A/B weights split traffic', async () => {
    const s = await setUp();
    const { client, ctx, ws, bold } = s;
    await client.ok('PATCH', `/v1/intents/spring_promo/variants/${bold.id}`, { weight: 100 });
    const ids = await contacts(ctx, ws.workspaceId, 200);
    const split = await send(s, ids, 'read');
    const boldIds = split.get('bold')!;
    assert.ok(boldIds.length > 70 && boldIds.length < 130, `a 50:50 split (${boldIds.length})`);
    s.clock.advance(MINUTE);
    await recordReply(ctx, { workspaceId: ws.workspaceId, senderId: s.senderId, contactId: boldIds[0] });
    await recordSend(ctx, { workspaceId: ws.workspaceId, senderId: s.senderId, contactId: boldIds[1], intent: 'spring_promo', templateName: 'spring_b', language: 'en_US', variantId: bold.id, status: 'failed' });
    await deliver(ctx, { type: 'contact.marketing_stopped', workspaceId: ws.workspaceId, contactId: boldIds[2], source: '131050', at: ctx.clock.now() });
    // A keyword opt-out typed by the customer counts too; an ordinary reply does not.
    await deliver(ctx, { type: 'message.inbound', workspaceId: ws.workspaceId, senderId: s.senderId, contactId: boldIds[3], messageId: 'msg_in_1', messageType: 'text', text: 'STOP', receivedAt: ctx.clock.now() });
    await deliver(ctx, { type: 'message.inbound', workspaceId: ws.workspaceId, senderId: s.senderId, contactId: boldIds[4], messageId: 'msg_in_2', messageType: 'text', text: 'stop by later?', receivedAt: ctx.clock.now() });
    const results = (await client.ok('GET', '/v1/intents/spring_promo/results')).data;
    const b = results.find((r: { name: string }) => r.name === 'bold');
    assert.deepEqual(b.counts, { sent: boldIds.length + 1, delivered: boldIds.length, read: boldIds.length, replied: 1, failed: 1, optedOut: 2 });
    assert.equal(b.rates.failureRate, 1 / (boldIds.length + 1));
    const control = results.find((r: { name: string }) => r.name === 'control');
    assert.equal(control.counts.sent, 200 - boldIds.length);
    assert.equal(control.isControl, true);

    await client.fails('POST', '/v1/intents/spring_promo/variants', { name: 'other', weight: 1, isControl: true }, 400, 'VARIANT_INVALID');
    await client.fails('POST', '/v1/intents/spring_promo/variants', { name: 'bold', weight: 1 }, 409, 'VARIANT_EXISTS');
    await client.fails('PATCH', `/v1/intents/spring_promo/variants/${s.control.id}`, { state: 'halted' }, 400, 'VARIANT_INVALID');
    const halted = await client.ok('PATCH', `/v1/intents/spring_promo/variants/${bold.id}`, { state: 'halted', reason: 'copy review' });
    assert.deepEqual([halted.state, halted.haltedReason], ['halted', 'copy review']);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { takeThroughputToken, type TokenBucket } from '../../src/emulator/rules/throughput.js';
import { checkPairRate, type PairState } from '../../src/emulator/rules/pair-rate.js';
import { isWindowOpen, serviceWindowAllows } from '../../src/emulator/rules/service-window.js';
import { countTier, pruneTier, tierAllows } from '../../src/emulator/rules/messaging-tier.js';
import { marketingCapAllows, recordMarketing } from '../../src/emulator/rules/marketing-cap.js';
import { recipientFailure } from '../../src/emulator/rules/recipient-state.js';
import { checkTemplate } from '../../src/emulator/rules/template-check.js';
import type { Template } from '../../src/emulator/types.js';
import { manualClock, startTestEmulator, template, waitFor, type TestEmulator } from './harness.js';

const DAY = 24 * 60 * 60 * 1000;
const PAIR = { pairBurst: 45, pairBurstWindowMs: 6000, pairIntervalMs: 6000 };

describe('emulator rules as pure functions', () => {
  it('throughput: 80 messages in the same instant pass at 80 mps, the 81st is refused, and a token comes back after 1/80 s', () => {
    let bucket: TokenBucket | undefined;
    for (let i = 0; i < 80; i++) {
      const r = takeThroughputToken(bucket, 80, 1000);
      assert.equal(r.allowed, true, `message ${i + 1}`);
      bucket = r.bucket;
    }
    assert.equal(takeThroughputToken(bucket, 80, 1000).allowed, false);
    assert.equal(takeThroughputToken(bucket, 80, 1000 + 12).allowed, false, 'not yet a full token after 12 ms');
    assert.equal(takeThroughputToken(bucket, 80, 1000 + 13).allowed, true, 'a token after 12.5 ms');
  });

  it('pair rate: a burst of 45 within 6 s passes and the 46th is refused', () => {
    let state: PairState | undefined;
    for (let i = 0; i < 45; i++) {
      const r = checkPairRate(state, PAIR, 10_000 + i * 100);
      assert.equal(r.allowed, true, `message ${i + 1}`);
      state = r.state;
    }
    assert.equal(checkPairRate(state, PAIR, 10_000 + 4_600).allowed, false);
  });

  it('pair rate: a burst of 20 borrows 20 × 6 s, so the pair waits 2 minutes, then one message per 6 s', () => {
    let state: PairState | undefined;
    for (let i = 0; i < 20; i++) state = checkPairRate(state, PAIR, i).state;
    assert.equal(checkPairRate(state, PAIR, 119_000).allowed, false, 'still borrowing at 119 s');
    const next = checkPairRate(state, PAIR, 120_000);
    assert.equal(next.allowed, true, 'even again at 120 s');
    assert.equal(checkPairRate(next.state, PAIR, 120_000 + 6_000).allowed, true, 'steady 1 per 6 s');
  });

  it('service window: open for 24 h after the customer wrote, templates always allowed', () => {
    assert.equal(isWindowOpen(undefined, DAY, 0), false);
    assert.equal(isWindowOpen(1000, DAY, 1000 + DAY - 1), true);
    assert.equal(isWindowOpen(1000, DAY, 1000 + DAY), false);
    assert.equal(serviceWindowAllows('template', undefined, DAY, 0), true);
    assert.equal(serviceWindowAllows('text', undefined, DAY, 0), false);
  });

  it('messaging tier: counts unique customers over a rolling 24 h; a customer already reached does not count again', () => {
    const tier = new Map<string, number>();
    for (const c of ['a', 'b']) {
      assert.equal(tierAllows(tier, c, 2), true);
      countTier(tier, c, 0);
    }
    assert.equal(tierAllows(tier, 'c', 2), false, 'a third customer is over a tier of 2');
    assert.equal(tierAllows(tier, 'a', 2), true, 'a customer already reached is not new');
    assert.equal(tierAllows(tier, 'c', null), true, 'unlimited tier');
    pruneTier(tier, DAY);
    assert.equal(tierAllows(tier, 'c', 2), true, 'the window rolled');
  });

  it('marketing cap: allows up to the cap in the window, then refuses; old deliveries expire', () => {
    let list = recordMarketing(undefined, DAY, 0);
    assert.equal(marketingCapAllows(list, 2, DAY, 1), true);
    list = recordMarketing(list, DAY, 1);
    assert.equal(marketingCapAllows(list, 2, DAY, 2), false);
    assert.equal(marketingCapAllows(list, 2, DAY, DAY + 1), true);
    assert.equal(marketingCapAllows(list, null, DAY, 2), true);
  });

  it('recipient state: undeliverable, blocked and prefixed numbers are 131026; opted-out customers 131050 for marketing only', () => {
    const flags = { undeliverable: false, blocked: false, optedOutOfMarketing: false };
    assert.equal(recipientFailure({ ...flags, undeliverable: true }, '1', [], false), 131026);
    assert.equal(recipientFailure({ ...flags, blocked: true }, '1', [], false), 131026);
    assert.equal(recipientFailure(undefined, '1999555', ['1999'], false), 131026);
    assert.equal(recipientFailure({ ...flags, optedOutOfMarketing: true }, '1', [], true), 131050);
    assert.equal(recipientFailure({ ...flags, optedOutOfMarketing: true }, '1', [], false), null);
  });

  it('templates: 132001 for unknown, wrong language or unapproved; 132015 paused; 132016 disabled; 132000 wrong parameter count', () => {
    const t = (status: Template['status'], extra: Partial<Template> = {}): Template => ({
      id: '1', name: 'order_update', language: 'en_US', category: 'UTILITY', status, quality: 'GREEN', parameterFormat: 'POSITIONAL', createdAt: 0,
      components: [{ type: 'BODY', text: 'Hi {{1}}, order {{2}}.' }], ...extra,
    });
    const send = (params: number, language = 'en_US', name = 'order_update') => ({ name, language: { code: language }, components: [{ type: 'body', parameters: Array.from({ length: params }, () => ({ type: 'text', text: 'x' })) }] });
    const code = (r: ReturnType<typeof checkTemplate>) => (r.ok ? 'ok' : r.code);
    assert.equal(code(checkTemplate([t('APPROVED')], send(2))), 'ok');
    assert.equal(code(checkTemplate([t('APPROVED')], send(2, 'en_US', 'nope'))), 132001);
    assert.equal(code(checkTemplate([t('APPROVED')], send(2, 'es'))), 132001);
    assert.equal(code(checkTemplate([t('PENDING')], send(2))), 132001);
    assert.equal(code(checkTemplate([t('REJECTED')], send(2))), 132001);
    assert.equal(code(checkTemplate([t('PAUSED')], send(2))), 132015);
    assert.equal(code(checkTemplate([t('DISABLED')], send(2))), 132016);
    assert.equal(code(checkTemplate([t('APPROVED')], send(1))), 132000);
    assert.equal(code(checkTemplate([t('APPROVED')], send(3))), 132000);
  });
});

describe('emulator rules over HTTP: refuses exactly when Meta would, with Meta\'s code', () => {
  let t: TestEmulator;
  const clock = manualClock();
  const ERR = (r: { body: any }) => r.body?.error?.code;

  before(async () => {
    t = await startTestEmulator({
      clock,
      config: {
        numbers: [
          { phoneNumberId: '100000000000001', limits: { throughputMps: 5 } },
          { phoneNumberId: '100000000000002', limits: { pairBurst: 3, throughputMps: 1000 } },
          { phoneNumberId: '100000000000003', limits: { throughputMps: 1000, dailyUniqueRecipients: 2, marketingCapPerUser: 1 } },
        ],
        customers: [
          { phone: '15550000001', name: 'Gone', undeliverable: true },
          { phone: '15550000002', name: 'No Promos', optedOutOfMarketing: true },
        ],
      },
    });
  });
  after(() => t.close());

  const failedCodeFor = async (messageId: string) => {
    const status = await waitFor(() => t.statuses().find((s) => s.id === messageId && s.status !== 'sent' && s.status !== 'delivered' && s.status !== 'read') ?? (t.statuses().find((s) => s.id === messageId && s.status === 'read') ? { status: 'read' } : undefined), `final status of ${messageId}`);
    return status.status === 'failed' ? status.errors[0].code : status.status;
  };

  it('130429: 5 sends at once pass at 5 mps, the 6th is refused (HTTP 429), and a value-level errors webhook reports it', async () => {
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await t.send({ to: `1555010000${i}`, ...template('hello_world') }, '100000000000001'));
    assert.deepEqual(results.map((r) => r.status), [200, 200, 200, 200, 200, 429]);
    assert.equal(ERR(results[5]), 130429);
    assert.equal(results[5].body.error.message, '(#130429) Rate limit hit');
    const errors = await waitFor(() => t.values().find((v) => v.errors?.[0]?.code === 130429), 'the 130429 errors webhook');
    assert.equal(errors.metadata.phone_number_id, '100000000000001');
    clock.advance(200);
    assert.equal((await t.send({ to: '15550100009', ...template('hello_world') }, '100000000000001')).status, 200, 'tokens refill with time');
  });

  it('131056: with a pair burst of 3, three messages to one customer pass and the fourth is refused; others are unaffected', async () => {
    const to = '15550200000';
    for (let i = 0; i < 3; i++) assert.equal((await t.send({ to, ...template('hello_world') }, '100000000000002')).status, 200);
    const refused = await t.send({ to, ...template('hello_world') }, '100000000000002');
    assert.equal(ERR(refused), 131056);
    assert.equal((await t.send({ to: '15550200001', ...template('hello_world') }, '100000000000002')).status, 200, 'another customer');
    clock.advance(18_000);
    assert.equal((await t.send({ to, ...template('hello_world') }, '100000000000002')).status, 200, 'after the borrowed 3 × 6 s');
  });

  it('131047 by default arrives by webhook: 200 with a wamid, then a failed status with errors[0].code 131047; the customer writing opens the window for exactly 24 h', async () => {
    const to = '15550300000';
    const pn = '100000000000002';
    const failedWith131047 = async (answer: { status: number; body: any }) => {
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const id = answer.body.messages[0].id;
      assert.match(id, /^wamid\./);
      const failed = await waitFor(() => t.statuses().find((s) => s.id === id && s.status === 'failed'), `the failed status of ${id}`);
      assert.equal(failed.errors[0].code, 131047);
      assert.match(failed.errors[0].error_data.details, /24 hours/);
      assert.ok(!t.statuses().some((s) => s.id === id && s.status !== 'failed'), 'no sent, delivered or read for it');
    };
    await failedWith131047(await t.send({ to, type: 'text', text: { body: 'hello' } }, pn));
    await t.control('POST', `/customers/${to}/messages`, { phoneNumberId: pn, type: 'text', text: { body: 'hi there' } });
    assert.equal((await t.send({ to, type: 'text', text: { body: 'hello' } }, pn)).status, 200);
    clock.advance(24 * 60 * 60 * 1000 - 1);
    const stillOpen = await t.send({ to, type: 'text', text: { body: 'still open' } }, pn);
    assert.equal(stillOpen.status, 200, 'open until the last millisecond');
    await waitFor(() => t.statuses().find((s) => s.id === stillOpen.body.messages[0].id && s.status === 'delivered'), 'delivered inside the window');
    clock.advance(1);
    await failedWith131047(await t.send({ to, type: 'text', text: { body: 'closed' } }, pn));
    assert.equal((await t.send({ to, ...template('hello_world') }, pn)).status, 200, 'a template is still allowed');
  });

  it('131047 synchronously with behaviour.windowErrors "sync" (set through the control API): HTTP 400 and no wamid', async () => {
    const pn = '100000000000002';
    assert.equal((await t.control('GET', '/behaviour')).body.windowErrors, 'webhook', 'the default');
    assert.equal((await t.control('PUT', '/behaviour', { windowErrors: 'bounce' })).status, 400, 'only webhook or sync');
    assert.equal((await t.control('PUT', '/behaviour', { windowErrors: 'sync' })).status, 200);
    try {
      const answer = await t.send({ to: '15550300001', type: 'text', text: { body: 'hello' } }, pn);
      assert.equal(answer.status, 400);
      assert.equal(ERR(answer), 131047);
      assert.equal(answer.body.messages, undefined);
    } finally {
      await t.control('PUT', '/behaviour', { windowErrors: 'webhook' });
    }
  });

  it('132001 / 132000 / 132015 / 132016 for template sends, and the right parameters pass', async () => {
    const pn = '100000000000002';
    const to = '15550400000';
    assert.equal(ERR(await t.send({ to, ...template('no_such_template') }, pn)), 132001);
    assert.equal(ERR(await t.send({ to, ...template('hello_world', 'fr') }, pn)), 132001, 'wrong language');
    assert.equal(ERR(await t.send({ to, ...template('order_update', 'en_US', ['Asha', '#1']) }, pn)), 132000, 'two of three parameters');
    assert.equal((await t.send({ to, ...template('order_update', 'en_US', ['Asha', '#1', 'shipped']) }, pn)).status, 200);
    assert.equal(ERR(await t.send({ to, ...template('otp_code', 'en_US', ['123456']) }, pn)), 132000, 'an OTP template needs the code in its button too');
    assert.equal((await t.send({ to, ...template('otp_code', 'en_US', ['123456'], [{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '123456' }] }]) }, pn)).status, 200);
    await t.control('POST', '/templates/status', { name: 'hello_world', language: 'en_US', status: 'PAUSED' });
    assert.equal(ERR(await t.send({ to, ...template('hello_world') }, pn)), 132015);
    await t.control('POST', '/templates/status', { name: 'hello_world', language: 'en_US', status: 'DISABLED' });
    assert.equal(ERR(await t.send({ to, ...template('hello_world') }, pn)), 132016);
    await t.control('POST', '/templates/status', { name: 'hello_world', language: 'en_US', status: 'APPROVED' });
  });

  it('tier: with a tier of 2, a third new customer fails by webhook with the tier code; a customer already reached is fine; the window rolls after 24 h', async () => {
    clock.advance(2 * 24 * 60 * 60 * 1000);
    const pn = '100000000000003';
    const a = await t.send({ to: '15550500001', ...template('hello_world') }, pn);
    const b = await t.send({ to: '15550500002', ...template('hello_world') }, pn);
    const c = await t.send({ to: '15550500003', ...template('hello_world') }, pn);
    assert.equal(c.status, 200, 'accepted: the tier is enforced by webhook');
    assert.equal(await failedCodeFor(c.body.messages[0].id), 131048);
    assert.equal(await failedCodeFor(a.body.messages[0].id), 'read');
    assert.equal(await failedCodeFor(b.body.messages[0].id), 'read');
    const again = await t.send({ to: '15550500001', ...template('hello_world') }, pn);
    assert.equal(await failedCodeFor(again.body.messages[0].id), 'read');
    clock.advance(24 * 60 * 60 * 1000);
    const later = await t.send({ to: '15550500003', ...template('hello_world') }, pn);
    assert.equal(await failedCodeFor(later.body.messages[0].id), 'read');
  });

  it('131049: past the per-user marketing cap a marketing template fails by webhook; inside the window it is not capped', async () => {
    clock.advance(2 * 24 * 60 * 60 * 1000);
    const pn = '100000000000003';
    const to = '15550600001';
    const promo = template('promo_offer', 'en_US', ['Asha', '20%', 'SPRING']);
    const first = await t.send({ to, ...promo }, pn);
    assert.equal(await failedCodeFor(first.body.messages[0].id), 'read');
    const second = await t.send({ to, ...promo }, pn);
    assert.equal(second.status, 200);
    assert.equal(await failedCodeFor(second.body.messages[0].id), 131049);
    const failed = t.statuses().find((s) => s.id === second.body.messages[0].id && s.status === 'failed');
    assert.equal(failed.errors[0].title, 'This message was not delivered to maintain healthy ecosystem engagement.');
    await t.control('POST', `/customers/${to}/messages`, { phoneNumberId: pn, type: 'text', text: { body: 'tell me more' } });
    const inWindow = await t.send({ to, ...promo }, pn);
    assert.equal(await failedCodeFor(inWindow.body.messages[0].id), 'read');
  });

  it('131026: a number not on WhatsApp is accepted, then fails by webhook (no sent status)', async () => {
    const r = await t.send({ to: '+1 555 000 0001', ...template('hello_world') }, '100000000000002');
    assert.equal(r.status, 200);
    const id = r.body.messages[0].id;
    assert.equal(await failedCodeFor(id), 131026);
    assert.equal(t.statuses().some((s) => s.id === id && s.status === 'sent'), false);
  });

  it('131050: a customer who stopped marketing gets no marketing template (webhook), but utility templates arrive', async () => {
    const pn = '100000000000002';
    const promo = await t.send({ to: '15550000002', ...template('promo_offer', 'en_US', ['Asha', '20%', 'X']) }, pn);
    assert.equal(await failedCodeFor(promo.body.messages[0].id), 131050);
    const utility = await t.send({ to: '15550000002', ...template('order_update', 'en_US', ['Asha', '#2', 'packed']) }, pn);
    assert.equal(await failedCodeFor(utility.body.messages[0].id), 'read');
  });

  it('131009 by webhook for a reaction to a message that is not in the chat; a reaction to a real message gets only "sent"', async () => {
    const pn = '100000000000002';
    const to = '15550700001';
    const inbound = await t.control('POST', `/customers/${to}/messages`, { phoneNumberId: pn, type: 'text', text: { body: 'hello' } });
    const bad = await t.send({ to, type: 'reaction', reaction: { message_id: 'wamid.unknown', emoji: '👍' } }, pn);
    assert.equal(await failedCodeFor(bad.body.messages[0].id), 131009);
    const good = await t.send({ to, type: 'reaction', reaction: { message_id: inbound.body.id, emoji: '👍' } }, pn);
    const id = good.body.messages[0].id;
    await waitFor(() => t.statuses().find((s) => s.id === id && s.status === 'sent'), 'sent status of the reaction');
    await t.emu.flushWebhooks();
    assert.deepEqual(t.statuses().filter((s) => s.id === id).map((s) => s.status), ['sent']);
  });
});

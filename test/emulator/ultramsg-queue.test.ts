import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock, startTestEmulator, waitFor, type TestEmulator } from './harness.js';
import { QUEUE_EXPIRY_MS, sendDelayFor } from '../../src/emulator/ultramsg/send-delay.js';

// UltraMsg's queue on the emulator's clock: the base clock stands still and the test moves emulator time
// with the control API, so every send time below is exact emulator time, not a measured duration.
describe('emulator: UltraMsg queue model (send delay, growth past 10 queued, 24-hour expiry, resend, priority)', () => {
  let t: TestEmulator;
  let base: string;
  let token: string;
  const INSTANCE = 'instance1150';
  const form = (path: string, params: Record<string, string>) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  const send = async (to: string, body: string, priority = '10') => {
    const r = await form('/messages/chat', { token, to, body, priority });
    assert.equal(r.body.sent, 'true', JSON.stringify(r.body));
    return r.body.id as number;
  };
  const message = (id: number) => t.emu.core.state.ultramsgMessages.get(id)!;
  const advance = async (ms: number) => assert.equal((await t.control('POST', '/clock/advance', { ms })).status, 200);
  const connected = async (value: boolean) => assert.equal((await t.control('PUT', `/ultramsg/${INSTANCE}/state`, { connected: value })).status, 200);
  const listed = async (query: string) => ((await fetch(`${base}/messages?token=${token}&${query}`).then((r) => r.json())) as any).messages as any[];

  before(async () => {
    // The defaults, as UltraMsg ships them (no sendDelay given): 1 s, growing to 15 s.
    t = await startTestEmulator({ clock: manualClock(), config: { customers: [], ultramsg: { instances: [{ instanceId: INSTANCE }] } } });
    base = `${t.emu.info.url}/${INSTANCE}`;
    token = t.emu.info.ultramsgToken;
  });
  after(() => t.close());
  beforeEach(async () => {
    await t.control('POST', '/reset');
  });

  it('instance/settings shows sendDelay 1 and sendDelayMax 15 (seconds) by default, and POST changes them', async () => {
    const settings = (await fetch(`${base}/instance/settings?token=${token}`).then((r) => r.json())) as any;
    assert.equal(settings.sendDelay, 1);
    assert.equal(settings.sendDelayMax, 15);
    const changed = await form('/instance/settings', { token, sendDelay: '3', sendDelayMax: '20' });
    assert.equal(changed.body.sendDelay, 3);
    assert.equal(changed.body.sendDelayMax, 20);
    const a = await send('+14155550401', 'one');
    const b = await send('+14155550401', 'two');
    await waitFor(() => message(a).status === 'sent', 'the first message leaves at once');
    await advance(2999);
    assert.equal(message(b).status, 'queue', 'still within the 3 s delay');
    await advance(1);
    assert.equal(message(b).status, 'sent');
    assert.equal(message(b).sentAt! - message(a).sentAt!, 3000);
  });

  it('one message at a time, sendDelay apart: the second waits 1 s of emulator time, the third 2 s', async () => {
    const ids = [await send('+14155550402', 'a'), await send('+14155550402', 'b'), await send('+14155550402', 'c')];
    await waitFor(() => message(ids[0]).status === 'sent', 'the first message leaves at once');
    assert.deepEqual(ids.map((id) => message(id).status), ['sent', 'queue', 'queue']);
    assert.equal((await listed('status=queue')).length, 2, 'the list shows the two still queued');
    await advance(999);
    assert.equal(message(ids[1]).status, 'queue');
    await advance(1);
    assert.deepEqual(ids.map((id) => message(id).status), ['sent', 'sent', 'queue']);
    await advance(1000);
    assert.deepEqual(ids.map((id) => message(id).status), ['sent', 'sent', 'sent']);
    const t0 = message(ids[0]).sentAt!;
    assert.deepEqual(ids.map((id) => message(id).sentAt! - t0), [0, 1000, 2000]);
  });

  it('with 10 or more queued the delay grows toward sendDelayMax (15 s) and falls back to sendDelay below 10', async () => {
    await connected(false);
    const ids: number[] = [];
    for (let i = 0; i < 25; i++) ids.push(await send('+14155550403', `bulk ${i}`));
    await connected(true);
    await waitFor(() => message(ids[0]).status === 'sent', 'the first message leaves');
    await advance(10 * 60 * 1000);
    assert.ok(ids.every((id) => message(id).status === 'sent'));
    const gaps = ids.slice(1).map((id, k) => message(id).sentAt! - message(ids[k]).sentAt!);
    // The gap after a message is the delay for the queue it left (itself included): 25, 24, ... 2.
    assert.deepEqual(gaps, ids.slice(0, -1).map((_, k) => sendDelayFor(25 - k, 1000, 15_000)));
    assert.equal(gaps[0], 15_000, 'a backlog of 25 runs at sendDelayMax');
    assert.ok(gaps.slice(0, 7).every((g) => g === 15_000), 'still the maximum with 19 queued');
    assert.ok(gaps[7] < 15_000 && gaps[15] > 1000, 'in between on the way down (18 .. 10 queued)');
    assert.ok(gaps.slice(16).every((g) => g === 1000), 'fewer than 10 queued: sendDelay again');
    for (let k = 1; k < gaps.length; k++) assert.ok(gaps[k] <= gaps[k - 1], 'never longer as the queue shrinks');
  });

  it('messages still queued after 24 hours become expired (also while disconnected); reconnecting does not send them; resendByStatus does', async () => {
    await connected(false);
    const ids = [await send('+14155550404', 'x'), await send('+14155550404', 'y')];
    await advance(QUEUE_EXPIRY_MS - 1);
    assert.deepEqual(ids.map((id) => message(id).status), ['queue', 'queue']);
    await advance(1);
    assert.deepEqual(ids.map((id) => message(id).status), ['expired', 'expired']);
    assert.deepEqual((await listed('status=expired')).map((m) => m.id).sort(), [...ids].sort());
    const stats = ((await fetch(`${base}/messages/statistics?token=${token}`).then((r) => r.json())) as any).messages_statistics;
    assert.equal(stats.expired, 2);
    assert.equal(stats.queue, 0);

    await connected(true);
    await advance(60_000);
    assert.deepEqual(ids.map((id) => message(id).status), ['expired', 'expired'], 'an expired message is never sent on its own');

    assert.deepEqual((await form('/messages/resendByStatus', { token, status: 'sent' })).body, { error: [{ status: 'must be unsent or expired' }] });
    assert.deepEqual((await form('/messages/resendByStatus', { token, status: 'expired' })).body, { success: '2 messages resent' });
    await waitFor(() => message(ids[0]).status === 'sent', 'the first resent message leaves');
    await advance(1000);
    assert.deepEqual(ids.map((id) => message(id).status), ['sent', 'sent']);
  });

  it('a message that waited 24 hours in a long queue expires instead of being sent late', async () => {
    await form('/instance/settings', { token, sendDelay: '3600', sendDelayMax: '3600' });
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) ids.push(await send('+14155550405', `slow ${i}`));
    await waitFor(() => message(ids[0]).status === 'sent', 'the first message leaves');
    await advance(QUEUE_EXPIRY_MS);
    const statuses = ids.map((id) => message(id).status);
    // One an hour: the first at once, then 23 more before the 24 hours are up, the rest expire.
    assert.equal(statuses.filter((s) => s === 'sent').length, 24);
    assert.equal(statuses.filter((s) => s === 'expired').length, 6);
    assert.deepEqual(statuses.slice(24), Array(6).fill('expired'));
  });

  it('resendById: an unsent (cleared) message goes back in the queue; unknown ids and sent messages are refused in the body', async () => {
    await connected(false);
    const id = await send('+14155550406', 'cleared');
    assert.deepEqual((await form('/messages/clear', { token, status: 'queue' })).body, { success: '1 messages cleared' });
    assert.equal(message(id).status, 'unsent');
    assert.deepEqual((await form('/messages/resendById', { token })).body, { error: [{ id: 'is required' }] });
    assert.match((await form('/messages/resendById', { token, id: '999999' })).body.error, /not found/);
    assert.deepEqual((await form('/messages/resendById', { token, id: String(id) })).body, { success: '1 messages resent' });
    assert.equal(message(id).status, 'queue');
    await connected(true);
    await waitFor(() => message(id).status === 'sent', 'the resent message leaves');
    assert.match((await form('/messages/resendById', { token, id: String(id) })).body.error, /only unsent or expired/);
    assert.equal((await form('/messages/resendById', { token: 'wrong', id: String(id) })).status, 401);
  });

  it('priority still first: an OTP queued behind a bulk backlog leaves next, whatever the delay', async () => {
    const bulk: number[] = [];
    for (let i = 0; i < 12; i++) bulk.push(await send('+14155550407', `bulk ${i}`));
    await waitFor(() => message(bulk[0]).status === 'sent', 'the first bulk message leaves');
    const otp = await send('+14155550407', 'OTP 123456', '0');
    await advance(60 * 60 * 1000);
    const order = [...bulk, otp].sort((a, b) => message(a).sentAt! - message(b).sentAt!);
    assert.deepEqual(order, [bulk[0], otp, ...bulk.slice(1)]);
  });
});

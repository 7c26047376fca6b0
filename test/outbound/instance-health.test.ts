import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeStorage } from '../harness/storage.js';
import { pipeline } from './helpers.js';
import { waitFor } from './fake-provider.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { createSender } from '../../src/senders/sender-queries.js';
import { EventDeliveryWorker } from '../../src/events/delivery-worker.js';
import type { SenderLoop } from '../../src/outbound/dispatch/sender-loop.js';

const WITH_PROVIDER = new Set(['accepted', 'sent', 'delivered', 'read']);

/** A business system receiving event webhooks. */
async function eventSink() {
  const received: Array<{ type: string; data: Record<string, any> }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * The emulator's UltraMsg instance is logged out (through UltraMsg's own `instance/logout`) while Parley
 * sends through it, then scanned again (the emulator's control API). Parley must notice from
 * `instance/status` alone, raise the alarm (health, /readyz, /metrics, a `sender.health` event webhook),
 * hold the sender's messages without failing them or counting attempts, show the QR code, and send every
 * message exactly once after the scan.
 */
describeStorage('an UltraMsg instance that is logged out holds its traffic, raises the alarm and loses nothing', (fx) => {
  let emulator: RunningEmulator;
  let sink: Awaited<ReturnType<typeof eventSink>>;
  before(async () => {
    emulator = await startEmulator({ seed: 5, config: { customers: [] } });
    sink = await eventSink();
  });
  after(async () => {
    await emulator.close();
    await sink.close();
  });

  it('logout → unauthenticated alarm and event, messages held (queued, no attempt, nothing at the provider), QR shown; scan → every message sent once, ok again', async (t) => {
    const instanceId = emulator.info.ultramsgInstanceIds[0];
    const p = await pipeline(fx, t, {
      realAdapters: true,
      config: { ultramsgStatusIntervalMs: 1000, eventsAllowPrivateTargets: true },
      sender: { provider: 'ultramsg', baseUrl: emulator.info.url, instanceId, phoneNumberId: null, wabaId: null, graphVersion: null, credentials: { token: emulator.info.ultramsgToken }, mps: 20 },
    });
    const auth = { authorization: p.authorization };
    const subscribed = await p.app.inject({ method: 'POST', url: '/v1/event-subscriptions', headers: auth, payload: { url: sink.url, eventTypes: ['sender.health'] } });
    assert.equal(subscribed.statusCode, 201, subscribed.body);
    const events = new EventDeliveryWorker(p.ctx, { random: () => 0 });
    t.after(() => events.stop());
    const health = async () => (await p.app.inject({ url: `/v1/senders/${p.sender.id}`, headers: auth })).json().health;
    const qr = () => p.app.inject({ url: `/v1/senders/${p.sender.id}/qr`, headers: auth });
    const gauge = async (state: string) => {
      const line = (await p.app.inject({ url: '/metrics' })).body.split('\n').find((l) => l.startsWith(`parley_sender_health{sender="${p.sender.id}",state="${state}"}`));
      return line ? Number(line.split(' ').at(-1)) : undefined;
    };
    const text = async (phone: string, body: string) => {
      await p.openWindow(phone);
      const r = await p.send({ to: phone, category: 'conversation', type: 'text', text: { body } });
      assert.equal(r.statusCode, 202, r.body);
      return r.json().id as string;
    };
    const atProvider = (ids: string[]) => [...emulator.core.state.ultramsgMessages.values()].filter((m) => ids.includes(m.referenceId));
    const sendsReceived = () => emulator.core.state.received.toArray().filter((r) => r.surface === 'ultramsg' && r.method === 'POST').length;

    // Healthy: messages flow.
    await p.start();
    const before = [await text('+15550103001', 'before the logout')];
    await waitFor(async () => WITH_PROVIDER.has(await p.status(before[0])), 10_000, 'the first message with the provider');
    assert.equal((await health()).state, 'ok');
    const runtime = p.dispatcher.loops.get(p.sender.id) as SenderLoop;
    assert.ok(runtime.instance, 'an UltraMsg sender is watched');

    // The phone is unlinked: UltraMsg's own logout call.
    const logout = await fetch(`${emulator.info.url}/${instanceId}/instance/logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: emulator.info.ultramsgToken }) });
    assert.deepEqual(await logout.json(), { success: 'instance logout successfully' });
    await waitFor(async () => (await health()).state === 'unauthenticated', 15_000, 'health unauthenticated');
    assert.match((await health()).reason, new RegExp(`GET /v1/senders/${p.sender.id}/qr`));
    const ready = (await p.app.inject({ url: '/readyz' })).json();
    assert.equal(ready.senders.unauthenticated, 1);
    assert.deepEqual(ready.senders.attention.map((s: { id: string; state: string }) => [s.id, s.state]), [[p.sender.id, 'unauthenticated']]);
    assert.equal(await gauge('unauthenticated'), 1);
    assert.equal(await gauge('ok'), 0);

    // The QR code to scan, from the API.
    const code = await qr();
    assert.equal(code.statusCode, 200, code.body);
    assert.equal(code.headers['cache-control'], 'no-store');
    assert.deepEqual(code.json().status, { status: 'qr', substatus: 'normal' });
    assert.equal(code.json().instanceId, instanceId);
    assert.match(code.json().qr, /^data:image\/png;base64,iVBORw0KGgo/);

    // Messages accepted meanwhile are held: the sender claims nothing while the watch keeps checking.
    const sentBefore = sendsReceived();
    const held: string[] = [];
    for (let i = 0; i < 6; i++) held.push(await text(`+1555010310${i}`, `held ${i}`));
    const checkAt = runtime.instance!.nextCheckAt;
    await waitFor(() => runtime.instance!.nextCheckAt > checkAt && !runtime.instance!.checking, 15_000, 'one more status check');
    const again = runtime.instance!.nextCheckAt;
    await waitFor(() => runtime.instance!.nextCheckAt > again && !runtime.instance!.checking, 15_000, 'a second status check');
    assert.equal(runtime.instance!.held, true);
    const waiting = await p.ctx.db.selectFrom('messages').select(['status', 'attempts']).where('id', 'in', held).execute();
    assert.deepEqual(waiting.map((r) => [r.status, r.attempts]), held.map(() => ['queued', 0]), 'held: still queued, no attempt counted');
    assert.equal(sendsReceived(), sentBefore, 'nothing reached UltraMsg while the instance was logged out');
    assert.deepEqual(atProvider(held), []);

    // The business system heard the alarm.
    await events.runOnce();
    const alarm = sink.received.find((e) => e.type === 'sender.health' && e.data.state === 'unauthenticated');
    assert.ok(alarm, `a sender.health event: ${JSON.stringify(sink.received)}`);
    assert.equal(alarm.data.senderId, p.sender.id);
    assert.equal(alarm.data.previous, 'ok');
    assert.deepEqual(alarm.data.instance, { status: 'qr', substatus: 'normal' });
    assert.match(alarm.data.reason, /scan the QR code/);

    // Scanned again: traffic flows, each held message reaches UltraMsg once and is sent by it.
    await fetch(`${emulator.info.url}/_emulator/ultramsg/${instanceId}/state`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ state: 'authenticated' }) });
    await waitFor(async () => (await Promise.all(held.map(p.status))).every((s) => WITH_PROVIDER.has(s)), 20_000, 'every held message with the provider');
    await waitFor(async () => (await health()).state === 'ok', 10_000, 'health ok again');
    await waitFor(() => atProvider(held).every((m) => m.status === 'sent') && atProvider(held).length === held.length, 10_000, 'UltraMsg sent them');
    assert.deepEqual(atProvider(held).map((m) => m.referenceId).sort(), [...held].sort(), 'each held message reached UltraMsg exactly once');
    assert.equal(emulator.core.state.stats.duplicateSends, 0);
    const rows = await p.ctx.db.selectFrom('messages').select(['status', 'attempts']).where('id', 'in', [...before, ...held]).execute();
    assert.ok(rows.every((r) => WITH_PROVIDER.has(r.status) && r.attempts === 1), `statuses and attempts: ${JSON.stringify(rows)}`);
    assert.equal(await gauge('ok'), 1);
    assert.deepEqual((await p.app.inject({ url: '/readyz' })).json().senders.attention, []);
    await events.runOnce();
    const cleared = sink.received.filter((e) => e.type === 'sender.health').at(-1)!;
    assert.deepEqual([cleared.data.state, cleared.data.previous], ['ok', 'unauthenticated']);

    // Authenticated: no QR code to scan.
    const none = await qr();
    assert.equal(none.statusCode, 409);
    assert.equal(none.json().error.code, 'SENDER_ALREADY_AUTHENTICATED');
    assert.ok(none.json().error.hint);
  });

  it('the QR route: 422 for a Cloud API sender, 404 for an unknown one, 403 without senders:write', async () => {
    const { workspaceId, authorization } = await fx.workspace();
    const cloud = await createSender(fx.db, fx.context().keyring, { workspaceId, name: 'cloud', provider: 'cloud', baseUrl: emulator.info.url, graphVersion: 'v23.0', phoneNumberId: `pn${Date.now()}`, wabaId: 'waba1', credentials: { accessToken: 'x' }, mps: 80 });
    await fx.db.updateTable('senders').set({ status: 'disabled' }).where('id', '=', cloud.id).execute();
    const app = await fx.app();
    const notUltraMsg = await app.inject({ url: `/v1/senders/${cloud.id}/qr`, headers: { authorization } });
    assert.equal(notUltraMsg.statusCode, 422);
    assert.equal(notUltraMsg.json().error.code, 'SENDER_HAS_NO_QR');
    assert.ok(notUltraMsg.json().error.hint);
    const unknown = await app.inject({ url: '/v1/senders/snd_nope/qr', headers: { authorization } });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'SENDER_NOT_FOUND');
    const reader = await fx.workspace(['senders:read']);
    const forbidden = await app.inject({ url: `/v1/senders/${cloud.id}/qr`, headers: { authorization: reader.authorization } });
    assert.equal(forbidden.statusCode, 403);
    assert.equal(forbidden.json().error.code, 'AUTH_SCOPE_MISSING');
  });
});

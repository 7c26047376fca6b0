import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { pipeline } from './helpers.js';
import { waitFor } from './fake-provider.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { HttpPools } from '../../src/channels/http-pools.js';
import { UltraMsgAdapter } from '../../src/channels/ultramsg/client/ultramsg-adapter.js';
import { QUEUE_EXPIRY_MS } from '../../src/emulator/ultramsg/send-delay.js';

// UltraMsg gives up on some messages without any webhook: not sent from the instance's queue within 24 hours
// (expired), a number not on WhatsApp (invalid). Parley learns it from the instance's message list and ends its
// message by the rule of channels/ultramsg/queue-status.ts. The emulator runs UltraMsg's default queue settings
// (1 s, 15 s); the test moves the emulator's clock 24 hours forward through its control API.
describeStorage('UltraMsg queue model through the pipeline', (fx) => {
  let emulator: RunningEmulator;
  const UNDELIVERABLE = '15550009999';
  before(async () => {
    emulator = await startEmulator({
      seed: 9,
      config: {
        customers: [{ phone: UNDELIVERABLE, undeliverable: true }],
        ultramsg: { instances: ['instance7101', 'instance7102', 'instance7103', 'instance7104'].map((instanceId) => ({ instanceId })) },
        behaviour: { statusLatencyMs: { sent: [1, 5], delivered: [1, 5], read: [1, 5] } },
      },
    });
  });
  after(() => emulator.close());

  const control = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${emulator.info.url}/_emulator${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(response.status, 200, await response.clone().text());
    return response.json() as Promise<any>;
  };
  // Each test has its own instance (one instance, one sender) and so its own queue.
  const setUp = async (t: { after(fn: () => unknown): void }, instanceId: string) => {
    const p = await pipeline(fx, t, {
      realAdapters: true,
      config: { ultramsgQueueCheckMs: 100 },
      sender: { provider: 'ultramsg', baseUrl: emulator.info.url, instanceId, phoneNumberId: null, credentials: { token: emulator.info.ultramsgToken }, mps: 10 },
    });
    return p;
  };
  const row = (p: Awaited<ReturnType<typeof setUp>>, id: string) => p.ctx.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const emulated = (referenceId: string) => [...emulator.core.state.ultramsgMessages.values()].find((m) => m.referenceId === referenceId);
  const text = (to: string, body: string) => ({ to, category: 'conversation', type: 'text', text: { body } });

  it('a message UltraMsg kept queued for 24 hours ends expired in Parley: never sent late, a dead letter, a message.status event; later sends go on', async (t) => {
    const p = await setUp(t, 'instance7101');
    const subscribed = await p.app.inject({ method: 'POST', url: '/v1/event-subscriptions', headers: { authorization: p.authorization }, payload: { url: 'https://hooks.example.com/parley', eventTypes: ['message.status'] } });
    assert.equal(subscribed.statusCode, 201, subscribed.body);
    await control('PUT', '/ultramsg/instance7101/state', { connected: false });
    const to = '+15550004101';
    await p.openWindow(to);
    const accepted = await p.send(text(to, 'Your parcel is on its way'));
    assert.equal(accepted.statusCode, 202, accepted.body);
    const id = accepted.json().id;
    await p.start();

    await waitFor(async () => (await row(p, id)).status === 'accepted', 10_000, 'UltraMsg took the message into its queue');
    assert.equal(emulated(id)?.status, 'queue', 'the instance is logged out: the message waits in its queue');

    await control('POST', '/clock/advance', { ms: QUEUE_EXPIRY_MS });
    assert.equal(emulated(id)?.status, 'expired');

    await waitFor(async () => (await row(p, id)).status === 'expired', 10_000, 'Parley reads the expiry from the message list');
    const ended = await row(p, id);
    assert.equal(ended.error_code, 'ultramsg_expired');
    assert.match(ended.error_message!, /within 24 hours/);
    assert.equal(ended.attempts, 1, 'not retried');
    const dead = await p.ctx.db.selectFrom('dead_letters').selectAll().where('message_id', '=', id).executeTakeFirstOrThrow();
    assert.equal(dead.error_code, 'ultramsg_expired');
    const history = await p.ctx.db.selectFrom('message_events').select(['status', 'detail']).where('message_id', '=', id).where('kind', '=', 'status').execute();
    const fromList = history.map((e) => ({ status: e.status, detail: JSON.parse(e.detail) })).find((e) => e.status === 'expired');
    assert.equal(fromList?.detail.source, 'list');
    assert.equal(fromList?.detail.providerStatus, 'expired');
    const events = await p.ctx.db.selectFrom('event_outbox').select(['type', 'payload']).where('workspace_id', '=', p.workspaceId).where('type', '=', 'message.status').execute();
    const event = events.map((e) => JSON.parse(e.payload)).find((e) => e.messageId === id && e.status === 'expired');
    assert.ok(event, 'the business hears of it (to fall back to another channel)');
    assert.equal(event.errors[0].code, 'ultramsg_expired');

    // The instance comes back: the expired message stays unsent, and the next message goes out.
    await control('PUT', '/ultramsg/instance7101/state', { connected: true });
    const next = await p.send(text(to, 'Any questions? Just reply.'));
    assert.equal(next.statusCode, 202, next.body);
    await waitFor(() => emulated(next.json().id)?.status === 'sent', 10_000, 'the next message leaves the instance');
    assert.equal(emulated(id)?.status, 'expired', 'never sent late');
    assert.equal((await row(p, id)).status, 'expired');
    assert.equal([...emulator.core.state.ultramsgMessages.values()].filter((m) => m.referenceId === id).length, 1, 'Parley did not send it again');
  });

  it('a number UltraMsg marks invalid (not on WhatsApp) ends failed with ultramsg_number_invalid, not retried', async (t) => {
    const p = await setUp(t, 'instance7102');
    const to = `+${UNDELIVERABLE}`;
    await p.openWindow(to);
    const accepted = await p.send(text(to, 'Hello?'));
    assert.equal(accepted.statusCode, 202, accepted.body);
    const id = accepted.json().id;
    await p.start();
    await waitFor(async () => (await row(p, id)).status === 'failed', 10_000, 'Parley reads the invalid state from the message list');
    const failed = await row(p, id);
    assert.equal(failed.error_code, 'ultramsg_number_invalid');
    assert.equal(failed.attempts, 1);
    assert.equal(emulated(id)?.status, 'invalid');
    assert.ok(await p.ctx.db.selectFrom('dead_letters').select('message_id').where('message_id', '=', id).executeTakeFirst());
  });

  it("honest pacing: the adapter reads the instance's sendDelay as its most messages per second (1 s → 1, 4 s → 0.25)", async () => {
    const pools = new HttpPools();
    const adapter = new UltraMsgAdapter(pools);
    const sender = { id: 'snd_x', workspaceId: 'ws_x', provider: 'ultramsg', baseUrl: emulator.info.url, settings: { instanceId: 'instance7103' }, mps: 10 } as any;
    const credentials = { token: emulator.info.ultramsgToken };
    assert.equal(await adapter.maxRate(sender, credentials), 1, "UltraMsg's default sendDelay");
    const set = await fetch(`${emulator.info.url}/instance7103/instance/settings`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: credentials.token, sendDelay: '4' }).toString() });
    assert.equal(((await set.json()) as any).sendDelay, 4);
    assert.equal(await adapter.maxRate(sender, credentials), 0.25);
    assert.equal(await adapter.maxRate({ ...sender, settings: { instanceId: 'instance404' } }, credentials), 1, 'settings unreadable: UltraMsg default');
    await pools.close();
  });

  it('honest pacing through the pipeline: a sender of 10 mps on an instance with sendDelay 1 s never has two messages waiting in the instance', async (t) => {
    const p = await setUp(t, 'instance7104');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const to = `+1555000420${i}`;
      await p.openWindow(to);
      const accepted = await p.send(text(to, `Order ${i} shipped`));
      assert.equal(accepted.statusCode, 202, accepted.body);
      ids.push(accepted.json().id);
    }
    // Sampled while Parley sends: at 10 mps, four messages would be handed over within half a second and wait in
    // the instance's queue (where the delay grows and Parley can no longer reorder or cancel them).
    let deepest = 0;
    const sampler = setInterval(() => (deepest = Math.max(deepest, emulator.core.ultramsgQueues.get('instance7104')?.size ?? 0)), 2);
    t.after(() => clearInterval(sampler));
    await p.start();
    await waitFor(() => ids.every((id) => emulated(id)?.status === 'sent'), 20_000, 'all four sent by the instance');
    clearInterval(sampler);
    assert.ok(deepest <= 1, `at most one message waited in the instance at a time (saw ${deepest})`);
  });
});

import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { pipeline } from './helpers.js';
import { waitFor } from './fake-provider.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { MINUTE, SECOND } from '../../src/shared/time.js';

const DELIVERED = new Set(['accepted', 'sent', 'delivered', 'read']);

/**
 * The provider goes down for 32 minutes of the dispatcher's clock (the clock is the test's: it jumps
 * ahead while the outage lasts, so half an hour takes a few seconds). The old per-message retries gave
 * up after 8 attempts, about two minutes: here every message waits and is delivered, once, after.
 */
describeStorage('a provider outage pauses the sender, loses nothing and says so', (fx) => {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ seed: 11, config: { customers: [] } });
  });
  after(() => emulator.close());

  const faults = (body: Record<string, unknown>) => fetch(`${emulator.info.url}/_emulator/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const hello = (to: string, extra: Record<string, unknown> = {}) => ({ to, type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } }, ...extra });

  it('down longer than the old retry horizon: health unreachable (API, /metrics, /readyz 200, sender.health), queued messages wait, expired ones expire, all others arrive once after recovery', async (t) => {
    let offset = 0;
    const clock = { now: () => Date.now() + offset };
    const p = await pipeline(fx, t, {
      realAdapters: true,
      clock,
      // Leases are timed by the same clock: long enough that its jumps do not hand the sender over.
      config: { leaseTtlMs: 1_000 * MINUTE },
      sender: { baseUrl: emulator.info.url, phoneNumberId: emulator.info.phoneNumberIds[0], wabaId: emulator.info.wabaId, credentials: { accessToken: emulator.info.accessToken }, mps: 50 },
    });
    const subscribed = await p.app.inject({ method: 'POST', url: '/v1/event-subscriptions', headers: { authorization: p.authorization }, payload: { url: 'https://ops.example.com/parley', eventTypes: ['sender.health'] } });
    assert.equal(subscribed.statusCode, 201, subscribed.body);
    const health = async () => (await p.app.inject({ url: `/v1/senders/${p.sender.id}`, headers: { authorization: p.authorization } })).json().health;
    const readyz = async () => p.app.inject({ url: '/readyz' });
    const passTimeUntil = async (predicate: () => Promise<boolean>, what: string) => {
      for (let i = 0; i < 600 && !(await predicate()); i++) {
        offset += 2 * SECOND;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(await predicate(), what);
    };
    const gauge = async (state: string) => {
      const text = (await p.app.inject({ url: '/metrics' })).body;
      const line = text.split('\n').find((l) => l.startsWith(`parley_sender_health{sender="${p.sender.id}",state="${state}"}`));
      return line ? Number(line.split(' ').at(-1)) : undefined;
    };

    // Phase 1: healthy.
    assert.equal((await health()).state, 'ok');
    let ready = await readyz();
    assert.equal(ready.statusCode, 200);

    // Phase 2: the provider is down: every send is a 500 (Graph code 1) or a dropped connection.
    await faults({ http5xxRate: 0.5, timeoutRate: 0.5, timeoutMs: 20, timeoutProcessed: false });
    t.after(() => faults({ http5xxRate: 0, timeoutRate: 0 }));
    const acceptedBefore = emulator.core.state.stats.cloudSendsAccepted;
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await p.send(hello(`+1555010${String(1000 + i)}`))).json().id);
    // One message may not be sent after a minute from now: it must expire, never arrive late.
    const shortLived = (await p.send(hello('+15550102000', { validUntil: new Date(clock.now() + 1 * MINUTE).toISOString() }))).json().id;
    await p.start();
    await waitFor(async () => (await health()).state === 'unreachable', 20_000, 'health unreachable');
    const down = await health();
    assert.match(down.reason, /unreachable/);
    ready = await readyz();
    assert.equal(ready.statusCode, 200, 'a provider being down does not make Parley unready');
    assert.equal(ready.json().senders.unreachable, 1);
    assert.deepEqual(ready.json().senders.attention.map((s: { id: string; state: string }) => [s.id, s.state]), [[p.sender.id, 'unreachable']]);
    assert.equal(await gauge('unreachable'), 1);
    assert.equal(await gauge('ok'), 0);

    // 32 minutes pass on the dispatcher's clock, in 15-second steps, with the provider still down.
    for (let step = 0; step < 128; step++) {
      offset += 15 * SECOND;
      await new Promise((r) => setTimeout(r, 40));
    }
    assert.equal((await health()).state, 'unreachable');
    const during = await p.ctx.db.selectFrom('messages').select(['id', 'status', 'attempts']).where('id', 'in', ids).execute();
    assert.deepEqual(during.filter((r) => r.status === 'failed'), [], 'nothing failed during the outage');
    // Only the failures before the breaker opened counted; probes and failures while open did not
    // (a probe in flight shows its attempt until it is handed back).
    assert.ok(during.every((r) => r.attempts <= 2), `attempts: ${during.map((r) => r.attempts)}`);
    await waitFor(async () => (await p.status(shortLived)) === 'expired', 10_000, 'the short-lived message expired');

    // Phase 3: the provider is back. The next probe succeeds, the sender resumes, health clears.
    await faults({ http5xxRate: 0, timeoutRate: 0 });
    offset += 30 * SECOND;
    // The clock keeps moving faster than real time, so a probe that fails once more (a connection the
    // outage left half-closed, say) is followed by the next within the loop.
    await passTimeUntil(async () => (await Promise.all(ids.map(p.status))).every((s) => DELIVERED.has(s)), 'every message with the provider');
    await passTimeUntil(async () => (await health()).state === 'ok', 'health ok again');
    ready = await readyz();
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json().senders.attention, []);
    assert.equal(await gauge('ok'), 1);
    assert.equal(await gauge('unreachable'), 0);

    // 0 lost, 0 duplicates, from the emulator's own records.
    const received = [...emulator.core.state.messages.values()].filter((m) => m.phoneNumberId === emulator.info.phoneNumberIds[0]).map((m) => m.bizOpaque);
    assert.equal(emulator.core.state.stats.cloudSendsAccepted - acceptedBefore, ids.length, 'each message reached the provider exactly once');
    assert.deepEqual(received.filter((id) => id !== undefined && ids.includes(id)).sort(), [...ids].sort());
    assert.ok(!received.includes(shortLived), 'the expired message never reached the provider');
    assert.equal(emulator.core.state.stats.duplicateSends, 0);
    const rows = await p.ctx.db.selectFrom('messages').select(['status', 'attempts']).where('id', 'in', ids).execute();
    assert.ok(rows.every((r) => DELIVERED.has(r.status)));
    assert.ok(rows.every((r) => r.attempts <= 2), `attempts: ${rows.map((r) => r.attempts)}`);

    // Business systems heard the transitions: unreachable, then ok.
    const events = await p.ctx.db.selectFrom('event_outbox').select(['payload']).where('workspace_id', '=', p.workspaceId).where('type', '=', 'sender.health').orderBy('id').execute();
    const states = events.map((e) => JSON.parse(e.payload) as { senderId: string; state: string });
    assert.ok(states.every((e) => e.senderId === p.sender.id));
    assert.equal(states.find((e) => e.state === 'unreachable')?.state, 'unreachable');
    assert.equal(states.at(-1)?.state, 'ok');
    assert.ok(states.findIndex((e) => e.state === 'unreachable') < states.length - 1);
  });
});

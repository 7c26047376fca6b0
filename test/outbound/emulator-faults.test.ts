import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { pipeline } from './helpers.js';
import { waitFor } from './fake-provider.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';

const FINAL = new Set(['accepted', 'sent', 'delivered', 'read', 'failed', 'refused', 'expired']);

describeStorage('outbound against the emulator’s fault injection', (fx) => {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ seed: 7, config: { customers: [] } });
  });
  after(() => emulator.close());

  // A phone number id belongs to one sender across workspaces: each test sends from its own emulator number.
  const cloudSender = (number = 1) => ({ baseUrl: emulator.info.url, phoneNumberId: emulator.info.phoneNumberIds[number], wabaId: emulator.info.wabaId, credentials: { accessToken: emulator.info.accessToken }, mps: 200 });
  const hello = (to: string) => ({ to, type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } });

  it('5xx, 131000 and 131016 answers and slow responses are retried until every message is with the provider, once', async (t) => {
    await fetch(`${emulator.info.url}/_emulator/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ http5xxRate: 0.2, error131000Rate: 0.1, error131016Rate: 0.1, slowRate: 0.1, slowMs: 300, tokenExpired: false }) });
    t.after(() => fetch(`${emulator.info.url}/_emulator/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ http5xxRate: 0, error131000Rate: 0, error131016Rate: 0, slowRate: 0 }) }));
    const p = await pipeline(fx, t, { realAdapters: true, sender: cloudSender() });
    const before = emulator.core.state.stats;
    const acceptedBefore = before.cloudSendsAccepted;
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push((await p.send(hello(`+1555000${String(6000 + i)}`))).json().id);
    await p.start();
    await waitFor(async () => (await Promise.all(ids.map(p.status))).every((s) => FINAL.has(s)), 60_000, 'every message settled');
    const rows = await p.ctx.db.selectFrom('messages').select(['status', 'attempts']).where('id', 'in', ids).execute();
    assert.ok(rows.every((r) => r.status === 'accepted' || r.status === 'sent' || r.status === 'delivered' || r.status === 'read'), JSON.stringify(rows.filter((r) => r.status === 'failed')));
    assert.ok(rows.some((r) => r.attempts > 1), 'some messages needed retries');
    const errors = await p.ctx.db.selectFrom('message_events').select('detail').where('message_id', 'in', ids).where('kind', '=', 'error').execute();
    const codes = new Set(errors.map((e) => JSON.parse(e.detail).code));
    assert.ok([...codes].some((c) => c === '1' || c === '131000' || c === '131016'), `retried codes: ${[...codes]}`);
    assert.equal(emulator.core.state.stats.cloudSendsAccepted - acceptedBefore, 40, 'each message reached the provider exactly once');
    assert.equal(emulator.core.state.stats.duplicateSends, 0);
  });

  it('an expired token (190) fails the message at once, without retries, and lists it as a dead letter', async (t) => {
    await fetch(`${emulator.info.url}/_emulator/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tokenExpired: true }) });
    t.after(() => fetch(`${emulator.info.url}/_emulator/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tokenExpired: false }) }));
    const p = await pipeline(fx, t, { realAdapters: true, sender: cloudSender(0) });
    const id = (await p.send(hello('+15550007001'))).json().id;
    await p.start();
    await waitFor(async () => (await p.status(id)) === 'failed', 10_000, 'failed');
    const row = await p.ctx.db.selectFrom('messages').select(['attempts', 'error_code', 'error_message']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual([row.attempts, row.error_code], [1, '190']);
    assert.match(row.error_message!, /expired/);
    const dead = (await p.app.inject({ url: '/v1/dead-letters', headers: { authorization: p.authorization } })).json().data;
    assert.equal(dead[0].messageId, id);
  });
});

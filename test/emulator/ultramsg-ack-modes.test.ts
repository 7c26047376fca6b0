import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestEmulator, waitFor, type TestEmulator } from './harness.js';
import { resolveConfig } from '../../src/emulator/config/resolve.js';

// Issue 18: the emulator can send UltraMsg's outgoing webhooks the way UltraMsg's official example shows
// (envelope `id` and `referenceId` empty, only `data.id`), drop acks, and lists the WhatsApp id of each send.
describe('emulator: UltraMsg ack envelopes, dropped acks, and the WhatsApp id in the message list', () => {
  let t: TestEmulator;
  let base: string;
  let token: string;
  const emitted = async () => ((await t.control('GET', '/webhooks?surface=ultramsg&limit=5000')).body.items as any[]).map((r) => r.payload);
  const send = (to: string, referenceId: string) =>
    fetch(`${base}/messages/chat`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token, to, body: 'Your order shipped', referenceId }).toString() }).then(async (r) => (await r.json()) as any);
  const listed = async (referenceId: string) => ((await fetch(`${base}/messages?token=${token}&referenceId=${referenceId}`).then((r) => r.json())) as any).messages[0];

  before(async () => {
    t = await startTestEmulator({ behaviour: { readRate: 1, deliveredRate: 1 } });
    base = `${t.emu.info.url}/${t.emu.info.ultramsgInstanceIds[0]}`;
    token = t.emu.info.ultramsgToken;
  });
  after(() => t.close());

  it('the list gives each send its numeric id and its WhatsApp id (msgId), the one its webhooks name in data.id', async () => {
    const sent = await send('+14155550301', 'list-1');
    const entry = await waitFor(async () => {
      const e = await listed('list-1');
      return e?.ack === 'read' ? e : undefined;
    }, 'the read ack');
    assert.equal(entry.id, sent.id);
    assert.match(entry.msgId, /^true_14155550301@c\.us_[0-9A-F]+$/);
    const create = (await emitted()).find((e) => e.event_type === 'message_create' && e.referenceId === 'list-1');
    assert.equal(create.data.id, entry.msgId);
  });

  it('ultramsgAckIds "empty" (config and control API): message_create and message_ack carry empty id and referenceId, only data.id', async () => {
    assert.equal(resolveConfig({ behaviour: { ultramsgAckIds: 'empty' } }).behaviour.ultramsgAckIds, 'empty');
    assert.equal(resolveConfig({}).behaviour.ultramsgAckIds, 'filled');
    assert.equal((await t.control('PUT', '/behaviour', { ultramsgAckIds: 'sometimes' })).status, 400);
    assert.equal((await t.control('PUT', '/behaviour', { ultramsgAckIds: 'empty' })).body.ultramsgAckIds, 'empty');
    try {
      await send('+14155550302', 'empty-1');
      const entry = await waitFor(async () => {
        const e = await listed('empty-1');
        return e?.ack === 'read' ? e : undefined;
      }, 'the read ack');
      const mine = await waitFor(async () => {
        const all = (await emitted()).filter((e) => e.data?.id === entry.msgId);
        return all.length === 4 ? all : undefined;
      }, 'create and three acks');
      assert.deepEqual(mine.map((e: any) => `${e.event_type}:${e.data.ack}`), ['message_create:pending', 'message_ack:server', 'message_ack:device', 'message_ack:read']);
      for (const e of mine) assert.deepEqual([e.id, e.referenceId], ['', '']);
    } finally {
      await t.control('PUT', '/behaviour', { ultramsgAckIds: 'filled' });
    }
  });

  it('faults.ultramsgAckDropRate 1: no message_ack is sent, the list still shows the ack', async () => {
    assert.equal((await t.control('PUT', '/faults', { ultramsgAckDropRate: 2 })).status, 400);
    await t.control('PUT', '/faults', { ultramsgAckDropRate: 1 });
    try {
      await send('+14155550303', 'drop-1');
      const entry = await waitFor(async () => {
        const e = await listed('drop-1');
        return e?.ack === 'read' ? e : undefined;
      }, 'the read ack in the list');
      const mine = (await emitted()).filter((e) => e.data?.id === entry.msgId);
      assert.deepEqual(mine.map((e: any) => e.event_type), ['message_create'], 'the create is sent, every ack dropped');
    } finally {
      await t.control('PUT', '/faults', { ultramsgAckDropRate: 0 });
    }
  });
});

import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describeStorage } from '../harness/storage.js';
import { pipeline } from './helpers.js';
import { waitFor } from './fake-provider.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { WebhookProcessor } from '../../src/webhooks/processor.js';
import { ReceiptReconciler } from '../../src/webhooks/receipts/receipt-reconciler.js';
import { ULTRAMSG_ACK_STATUS } from '../../src/channels/ultramsg/webhook/ack-map.js';
import { openProviderId } from '../../src/messages/provider-ids.js';

// Issue 18: UltraMsg acks are matched on what UltraMsg is known to send. The emulator sends its
// message_create and message_ack webhooks either with the envelope's `id` and `referenceId` filled, or
// empty as UltraMsg's official webhook example shows (only `data.id`, the WhatsApp id); every send must
// end with the status of its last ack either way, and an ack that never comes is read from the list.
const SECRET = 'ultramsg-acks-test-secret-0123456789';
const INSTANCES = ['instance7101', 'instance7102', 'instance7103', 'instance7104'];

describeStorage('UltraMsg acks through the emulator, by any of their three keys', (fx) => {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({
      seed: 18,
      config: {
        ultramsg: { instances: INSTANCES.map((instanceId) => ({ instanceId })) },
        customers: [],
        behaviour: { statusLatencyMs: { sent: [5, 20], delivered: [5, 20], read: [5, 20] }, batchWindowMs: 5, deliveredRate: 1, readRate: 0.5 },
      },
    });
  });
  after(() => emulator.close());

  const control = (path: string, body: unknown) => fetch(`${emulator.info.url}/_emulator/${path}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  // UltraMsg webhooks find their sender by instance: each test sends from its own instance.
  const setUp = async (t: { after(fn: () => unknown): void }, instanceId: string, options: { ackIds: 'filled' | 'empty'; checkAfterMs: number; readRate?: number; dropRate?: number }) => {
    assert.equal((await control('behaviour', { ultramsgAckIds: options.ackIds, readRate: options.readRate ?? 0.5 })).status, 200);
    assert.equal((await control('faults', { ultramsgAckDropRate: options.dropRate ?? 0 })).status, 200);
    t.after(() => control('faults', { ultramsgAckDropRate: 0 }));
    const p = await pipeline(fx, t, {
      realAdapters: true,
      config: { ultramsgReceiptCheckAfterMs: options.checkAfterMs },
      sender: { provider: 'ultramsg', instanceId, phoneNumberId: null, wabaId: null, baseUrl: emulator.info.url, credentials: { token: emulator.info.ultramsgToken }, webhookSecret: SECRET, mps: 50 },
    });
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    emulator.setWebhookUrls({ ultramsg: `http://127.0.0.1:${(p.app.server.address() as AddressInfo).port}/webhooks/whatsapp/ultramsg?secret=${SECRET}` });
    const processor = new WebhookProcessor(p.ctx);
    processor.start();
    t.after(() => processor.stop());
    const reconciler = new ReceiptReconciler(p.ctx, () => [...p.dispatcher.loops.values()].map((r) => r.sender), { everyMs: 200 });
    reconciler.start();
    t.after(() => reconciler.stop());
    return p;
  };

  const sendTexts = async (p: Awaited<ReturnType<typeof setUp>>, first: number, count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const to = `+1555008${String(first + i).padStart(4, '0')}`;
      await p.openWindow(to);
      const res = await p.send({ to, category: 'conversation', type: 'text', text: { body: `parcel ${i} is on its way` } });
      assert.equal(res.statusCode, 202, res.body);
      ids.push(res.json().id);
    }
    return ids;
  };

  /** The emulator's own record of each send, by Parley's id (its referenceId). */
  const listed = async (instanceId: string) => {
    const res = await fetch(`${emulator.info.url}/${instanceId}/messages?token=${emulator.info.ultramsgToken}&status=all&limit=100`);
    const body = (await res.json()) as { messages: Array<{ id: number; msgId: string; referenceId: string; ack: string }> };
    return new Map(body.messages.map((m) => [m.referenceId, m]));
  };

  /** Every send's Parley status is the one its last ack in the emulator maps to (delivered or read). */
  const settled = async (p: Awaited<ReturnType<typeof setUp>>, instanceId: string, ids: string[]) => {
    const list = await listed(instanceId);
    for (const id of ids) {
      const ack = list.get(id)?.ack;
      if (!ack || !['device', 'read', 'played'].includes(ack)) return false;
      if ((await p.status(id)) !== ULTRAMSG_ACK_STATUS[ack]) return false;
    }
    return true;
  };

  const ultramsgWebhooks = () =>
    emulator.core.state.webhooks
      .toArray()
      .filter((w) => w.surface === 'ultramsg')
      .map((w) => w.payload as { event_type: string; id: string; referenceId: string; data: { id: string } });

  for (const [n, ackIds] of [[0, 'filled'], [1, 'empty']] as const) {
    it(`every send ends with the status of its last ack, with ${ackIds} envelope ids, and its WhatsApp id is learnt`, { timeout: 60_000 }, async (t) => {
      const instanceId = INSTANCES[n];
      // With filled ids the webhooks alone must do (the list is not looked at for a minute); with empty
      // ids Parley learns each WhatsApp id from the list after a second and applies the acks it held.
      const p = await setUp(t, instanceId, { ackIds, checkAfterMs: ackIds === 'filled' ? 60_000 : 1000 });
      const ids = await sendTexts(p, n * 100, 8);
      await p.start();
      await waitFor(() => settled(p, instanceId, ids), 45_000, `every ${ackIds} send settled`);

      const list = await listed(instanceId);
      const rows = await p.ctx.db.selectFrom('messages').select(['id', 'status', 'provider_alt_id_sealed', 'provider_alt_id_hash']).where('id', 'in', ids).execute();
      for (const row of rows) {
        assert.ok(row.provider_alt_id_hash, 'the WhatsApp id is stored as a keyed hash');
        assert.ok(row.provider_alt_id_sealed?.startsWith('v1.'), 'and sealed, never in clear');
        assert.equal(await openProviderId(p.ctx.keyring, p.workspaceId, row.provider_alt_id_sealed), list.get(row.id)!.msgId);
      }
      assert.ok(rows.some((r) => r.status === 'read') || rows.every((r) => r.status === 'delivered'));

      const mine = ultramsgWebhooks().filter((w) => ['message_ack', 'message_create'].includes(w.event_type) && ids.some((id) => list.get(id)!.msgId === w.data.id));
      assert.ok(mine.some((w) => w.event_type === 'message_ack'));
      for (const w of mine) {
        if (ackIds === 'empty') assert.deepEqual([w.id, w.referenceId], ['', ''], 'the emulator sends what UltraMsg’s example shows');
        else assert.equal(w.referenceId, ids.find((id) => list.get(id)!.msgId === w.data.id));
      }
      const sources = await p.ctx.db.selectFrom('message_events').select('detail').where('message_id', 'in', ids).where('kind', '=', 'status').execute();
      const bySource = (source: string) => sources.filter((e) => JSON.parse(e.detail).source === source).length;
      if (ackIds === 'filled') assert.equal(bySource('list'), 0, 'webhooks alone matched every ack');
      assert.ok(bySource('webhook') >= ids.length * 2, 'acks from webhooks were applied (server and device at least)');
      const held = await p.ctx.db.selectFrom('pending_statuses').select('id').where('sender_id', '=', p.sender.id).execute();
      assert.deepEqual(held, [], 'no ack is left waiting for its message');
    });

    it(`a receipt that never comes is reconciled through the message list, with ${ackIds} envelope ids`, { timeout: 60_000 }, async (t) => {
      const instanceId = INSTANCES[2 + n];
      const p = await setUp(t, instanceId, { ackIds, checkAfterMs: 1000, readRate: 0, dropRate: 1 });
      const ids = await sendTexts(p, 500 + n * 100, 3);
      await p.start();
      await waitFor(() => settled(p, instanceId, ids), 45_000, 'every send reconciled');
      const list = await listed(instanceId);
      assert.ok(
        !ultramsgWebhooks().some((w) => w.event_type === 'message_ack' && ids.some((id) => list.get(id)!.msgId === w.data.id)),
        'no ack of these sends reached Parley by webhook',
      );
      for (const id of ids) {
        assert.equal(await p.status(id), 'delivered');
        const events = await p.ctx.db.selectFrom('message_events').select(['status', 'detail']).where('message_id', '=', id).where('kind', '=', 'status').execute();
        assert.deepEqual(events.map((e) => [e.status, JSON.parse(e.detail).source]), [['delivered', 'list']], 'the ack the list shows, applied once');
        const check = await p.ctx.db.selectFrom('receipt_checks').select('checks').where('message_id', '=', id).executeTakeFirstOrThrow();
        assert.ok(check.checks >= 1);
      }
    });
  }
});

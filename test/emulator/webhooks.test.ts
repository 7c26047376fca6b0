import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startEmulator } from '../../src/emulator/index.js';
import { startReceiver, startTestEmulator, template, waitFor } from './harness.js';

const to = (n: number) => `1650555${String(n).padStart(4, '0')}`;

describe('emulator webhooks out', () => {
  it('signs the exact raw bytes with the app secret (X-Hub-Signature-256), escaping non-ASCII like Meta so re-serialized JSON does not verify', async () => {
    const t = await startTestEmulator({ appSecret: 'test-app-secret' });
    try {
      await t.control('POST', '/customers/16505551234/messages', { type: 'text', text: { body: 'Olá, ça va? 👍 https://example.com/a' } });
      const post = await waitFor(() => t.receiver.posts.find((p) => p.path === '/cloud'), 'the inbound webhook');
      const expected = `sha256=${createHmac('sha256', 'test-app-secret').update(post.raw).digest('hex')}`;
      assert.equal(post.headers['x-hub-signature-256'], expected);
      assert.match(post.raw, /\\u00e1/, 'non-ASCII characters are escaped');
      assert.match(post.raw, /https:\\\/\\\/example\.com/, 'slashes are escaped');
      const reserialized = JSON.stringify(post.body);
      assert.notEqual(`sha256=${createHmac('sha256', 'test-app-secret').update(reserialized).digest('hex')}`, expected);
      assert.equal(post.body.entry[0].changes[0].value.messages[0].text.body, 'Olá, ça va? 👍 https://example.com/a');
    } finally {
      await t.close();
    }
  });

  it('batches several statuses of a number into one POST (one change, many statuses), with pricing on sent and delivered and biz_opaque_callback_data echoed', async () => {
    const t = await startTestEmulator({ behaviour: { batchWindowMs: 200, readRate: 0 } });
    try {
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push((await t.send({ to: to(i), biz_opaque_callback_data: `job-${i}`, ...template('hello_world') })).body.messages[0].id);
      await waitFor(() => t.statuses().filter((s) => s.status === 'delivered').length === 5, 'five delivered statuses');
      const biggest = Math.max(...t.receiver.posts.map((p) => p.body.entry[0].changes[0].value.statuses?.length ?? 0));
      assert.ok(biggest >= 5, `a POST carried ${biggest} statuses`);
      for (const [i, id] of ids.entries()) {
        const sent = t.statuses().find((s) => s.id === id && s.status === 'sent');
        assert.equal(sent.biz_opaque_callback_data, `job-${i}`);
        assert.equal(sent.recipient_id, to(i));
        assert.equal(sent.pricing.category, 'utility');
        assert.ok(t.statuses().find((s) => s.id === id && s.status === 'delivered').pricing);
      }
    } finally {
      await t.close();
    }
  });

  it('retries with backoff when the receiver fails or is slow, and delivers once it recovers', async () => {
    const t = await startTestEmulator({ behaviour: { webhookTimeoutMs: 100 } });
    try {
      t.receiver.behave = (_post, i) => (i === 0 ? { status: 500 } : i === 1 ? { delayMs: 400 } : i === 2 ? { status: 503 } : undefined);
      await t.control('POST', '/customers/16505551234/messages', { type: 'text', text: { body: 'retry me' } });
      await waitFor(() => t.receiver.posts.find((p) => p.body.entry[0].changes[0].value.messages?.[0]?.text?.body === 'retry me'), 'eventual delivery');
      const log = (await t.control('GET', '/webhooks?surface=cloud')).body.items;
      const record = log.find((r: any) => r.payload.entry[0].changes[0].value.messages?.[0]?.text?.body === 'retry me' && r.state === 'delivered');
      assert.ok(record.attempts >= 4, `delivered after ${record.attempts} attempts`);
      const stats = (await t.control('GET', '/stats')).body;
      assert.ok(stats.webhookAttemptsFailed >= 3);
    } finally {
      await t.close();
    }
  });

  it('keeps webhooks while the receiver is down or has no URL yet, and delivers them when it comes up', async () => {
    const emu = await startEmulator({ config: { behaviour: { batchWindowMs: 5, retry: { initialDelayMs: 20, maxDelayMs: 50, maxAttempts: 100 } } } });
    const receiver = await startReceiver();
    try {
      await fetch(`${emu.info.url}/_emulator/customers/16505551234/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'text', text: { body: 'before any URL' } }) });
      emu.setWebhookUrls({ cloud: 'http://127.0.0.1:9/down' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.ok(emu.core.state.stats.webhookAttemptsFailed >= 1, 'attempts against a closed port failed');
      emu.setWebhookUrls({ cloud: `${receiver.url}/cloud` });
      await waitFor(() => receiver.posts.length === 1, 'delivery once the receiver is up');
      assert.equal(receiver.posts[0].body.entry[0].changes[0].value.messages[0].text.body, 'before any URL');
    } finally {
      await emu.close();
      await receiver.close();
    }
  });

  it('a webhook outage fault holds every POST until it is lifted', async () => {
    const t = await startTestEmulator();
    try {
      await t.control('PUT', '/faults', { webhookOutage: true });
      await t.control('POST', '/customers/16505551234/messages', { type: 'text', text: { body: 'during the outage' } });
      await waitFor(async () => (await t.control('GET', '/stats')).body.webhookAttemptsFailed >= 2, 'failed attempts during the outage');
      assert.equal(t.receiver.posts.length, 0);
      await t.control('PUT', '/faults', { webhookOutage: false });
      await waitFor(() => t.receiver.posts.length === 1, 'delivery after the outage');
    } finally {
      await t.close();
    }
  });

  it('at least once: with duplicateRate 1 every body is posted twice, flagged as a duplicate in the log', async () => {
    const t = await startTestEmulator({ behaviour: { duplicateRate: 1 } });
    try {
      await t.control('POST', '/customers/16505551234/messages', { type: 'text', text: { body: 'twice' } });
      await waitFor(() => t.receiver.posts.length === 2, 'the duplicate');
      assert.equal(t.receiver.posts[0].raw, t.receiver.posts[1].raw, 'the same bytes, the same signature');
      const log = (await t.control('GET', '/webhooks')).body.items;
      assert.deepEqual(log.map((r: any) => r.duplicate), [false, true]);
      assert.equal((await t.control('GET', '/stats')).body.webhookDuplicatesPosted, 1);
    } finally {
      await t.close();
    }
  });

  it('reordering: with reorderRate 1 and a delay, an event can arrive after a later one (e.g. read before delivered)', async () => {
    const t = await startTestEmulator({ behaviour: { reorderRate: 1, reorderDelayMs: 1500 } });
    try {
      await t.control('POST', '/customers/16505551234/messages', { type: 'text', text: { body: 'first' } });
      await t.control('PUT', '/behaviour', { reorderRate: 0 });
      await t.control('POST', '/customers/16505551234/messages', { type: 'text', text: { body: 'second' } });
      await waitFor(() => t.receiver.posts.length >= 2, 'both messages');
      const bodies = t.values().flatMap((v) => v.messages ?? []).map((m: any) => m.text.body);
      assert.deepEqual(bodies, ['second', 'first'], 'the held-back event arrived last');
    } finally {
      await t.close();
    }
  });

  it('memory stays bounded: beyond maxPendingEvents the oldest waiting bodies are dropped and counted', async () => {
    const emu = await startEmulator({ config: { behaviour: { batchWindowMs: 0, maxBatchSize: 1 }, memory: { maxPendingEvents: 100, maxLogEntries: 50 } } });
    try {
      for (let i = 0; i < 150; i++) {
        await fetch(`${emu.info.url}/_emulator/customers/1650555${String(i).padStart(4, '0')}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'text', text: { body: `m${i}` } }) });
      }
      emu.core.cloudBatcher.flush();
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(emu.core.state.stats.webhooksDropped, 50);
      assert.equal(emu.core.state.webhooks.size, 50, 'the webhook log is a ring buffer');
      assert.ok(emu.core.cloudDeliverer.pending <= 100);
    } finally {
      await emu.close();
    }
  });
});

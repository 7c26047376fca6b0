import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openStore } from '../../src/db/database.js';
import { sleep } from '../../src/shared/time.js';
import { spawnParley, waitForExit } from '../harness/cli.js';

// Generous: the machine may be busy with the rest of the suite; what is checked is that it happens, not how fast.
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('webhooks end to end with the built-in emulator', () => {
  it('`parley start` accepts the emulator’s signed webhooks: Cloud API inbound text and media and a reply’s statuses, UltraMsg inbound and acks', { timeout: 300_000 }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-e2e-'));
    const databaseUrl = `sqlite:${path.join(dataDir, 'parley.db')}`;
    const env = { PARLEY_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, PARLEY_PORT: '0', PARLEY_EMULATOR: 'on', PARLEY_EMULATOR_PORT: '0', PARLEY_MASTER_KEY: undefined, PARLEY_WHATSAPP_APP_SECRETS: undefined, PARLEY_LOG_LEVEL: 'warn' };
    const parley = await spawnParley(['start', '--json'], env);
    const store = openStore(databaseUrl);
    try {
      const { url, adminApiKey, emulator } = parley.ready as { url: string; adminApiKey: string; emulator: { url: string; phoneNumberIds: string[] } };
      const api = (p: string, init: RequestInit = {}) => fetch(`${url}${p}`, { ...init, headers: { authorization: `Bearer ${adminApiKey}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });

      // The customer writes first (text, then a photo): the emulator posts signed Cloud API webhooks.
      const said = `hello ${randomBytes(3).toString('hex')}`;
      const inbound = await fetch(`${emulator.url}/_emulator/customers/16505551234/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'text', text: { body: said } }) });
      assert.equal(inbound.status < 300, true, await inbound.text());
      const photo = randomBytes(2048);
      await fetch(`${emulator.url}/_emulator/customers/16505551234/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'image', image: { caption: 'the parcel' }, mediaBase64: photo.toString('base64'), mimeType: 'image/jpeg' }) });

      await until('the inbound text to be stored', async () => (await store.db.selectFrom('messages').select('id').where('direction', '=', 'inbound').where('type', '=', 'text').executeTakeFirst()) ?? undefined);
      const media = await until('the photo to be downloaded through the media API', async () => {
        const row = await store.db.selectFrom('media').select(['state', 'size', 'error']).executeTakeFirst();
        return row && row.state !== 'pending' ? row : undefined;
      });
      assert.deepEqual(media, { state: 'stored', size: photo.length, error: null });

      // The window is open: a free-form reply goes out, and its statuses come back by webhook.
      const sent = await api('/v1/messages', { method: 'POST', body: JSON.stringify({ to: '+16505551234', type: 'text', text: { body: 'We are on it.' } }) });
      assert.equal(sent.status, 202, await sent.clone().text());
      const { id } = (await sent.json()) as { id: string };
      // `sent` always comes back by webhook; `delivered` only as often as the emulator's deliveredRate (98 %
      // by default, like a phone that stays off), so waiting for it would fail one run in fifty.
      const status = await until('a status webhook', async () => {
        const view = (await (await api(`/v1/messages/${id}`)).json()) as { status: string };
        return ['sent', 'delivered', 'read'].includes(view.status) ? view.status : undefined;
      });
      assert.ok(['sent', 'delivered', 'read'].includes(status));
      const events = await store.db.selectFrom('message_events').select(['kind', 'status']).where('message_id', '=', id).where('kind', 'in', ['status', 'pricing']).execute();
      assert.ok(events.some((e) => e.kind === 'status' && e.status === 'sent'), 'the sent status was recorded');

      const health = (await (await api('/v1/webhooks/health')).json()) as { data: Array<{ lastWebhookAt: string | null; lastStatusWebhookAt: string | null; alarm: boolean; provider: string }> };
      const cloud = health.data.find((s) => s.provider === 'cloud' && s.lastStatusWebhookAt);
      assert.ok(cloud, 'the Cloud API sender has heard status webhooks');
      assert.equal(cloud.alarm, false);
      // UltraMsg: the emulator posts to the URL carrying the sender's webhook secret.
      const { data: senders } = (await (await api('/v1/senders')).json()) as { data: Array<{ id: string; provider: string; instanceId: string | null }> };
      const ultra = senders.find((s) => s.provider === 'ultramsg')!;
      const ultraInbound = await fetch(`${emulator.url}/_emulator/ultramsg/${ultra.instanceId}/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: '16505551234', body: 'hi over UltraMsg' }) });
      assert.ok(ultraInbound.status < 300, await ultraInbound.text());
      await until('the UltraMsg inbound message', async () => (await store.db.selectFrom('messages').select('id').where('direction', '=', 'inbound').where('sender_id', '=', ultra.id).executeTakeFirst()) ?? undefined);
      const viaUltra = (await (await api('/v1/messages', { method: 'POST', body: JSON.stringify({ to: '+16505551234', from: ultra.id, type: 'text', text: { body: 'UltraMsg reply' } }) })).json()) as { id: string };
      await until('an UltraMsg ack', async () => {
        const view = (await (await api(`/v1/messages/${viaUltra.id}`)).json()) as { status: string };
        return ['sent', 'delivered', 'read'].includes(view.status) ? view.status : undefined;
      });

      const failed = await store.db.selectFrom('webhook_log').select(['error']).where('state', '=', 'failed').execute();
      assert.deepEqual(failed, [], 'no delivery failed');
    } finally {
      await store.close();
      parley.child.kill('SIGTERM');
      await waitForExit(parley.child);
    }
  });
});

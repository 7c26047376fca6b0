import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { openStore, type Store } from '../../src/db/database.js';
import { createWorkspace } from '../../src/workspaces/workspace-queries.js';
import { createApiKey } from '../../src/access/api-key-queries.js';
import { Keyring } from '../../src/crypto/keyring.js';
import { openProviderId } from '../../src/messages/provider-ids.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { sleep } from '../../src/shared/time.js';
import { runCli, spawnParley, waitForExit } from '../harness/cli.js';
import { POSTGRES_SKIP_REASON, POSTGRES_URL, createPostgresDatabase } from '../harness/postgres.js';

/**
 * A worker killed (`kill -9`) while its send to UltraMsg is in flight. UltraMsg's acks name only the
 * WhatsApp id (`ultramsgAckIds: "empty"`), so no status tells Parley the send arrived: before sending an
 * orphan again, the next worker asks UltraMsg's message list by `referenceId`. A send UltraMsg got is
 * recorded with UltraMsg's id and never sent twice; one that never reached UltraMsg is sent again, once.
 */
const SECRET = 'orphan-ultramsg-test-secret-0123456789';
const INSTANCES = ['instance8101', 'instance8102'];
const SETTLED = ['accepted', 'sent', 'delivered', 'read'];

function scenarios(name: string, database: () => Promise<{ url: string; drop?: () => Promise<void> }>) {
  describe(`orphans of a killed worker, sent through UltraMsg [${name}]`, () => {
    let emulator: RunningEmulator;
    let env: Record<string, string>;
    let key: string;
    let store: Store;
    let masterKey: Buffer;
    let drop: (() => Promise<void>) | undefined;
    const children: ChildProcess[] = [];

    before(async () => {
      emulator = await startEmulator({
        seed: 81,
        config: {
          ultramsg: { instances: INSTANCES.map((instanceId) => ({ instanceId, sendDelayMs: 0 })) },
          customers: [],
          behaviour: { statusLatencyMs: { sent: [5, 20], delivered: [5, 20], read: [5, 20] }, batchWindowMs: 5, deliveredRate: 1, readRate: 0, retry: { initialDelayMs: 200, maxDelayMs: 1000, maxAttempts: 100 } },
        },
      });
      const db = await database();
      drop = db.drop;
      masterKey = randomBytes(32);
      env = {
        DATABASE_URL: db.url,
        PARLEY_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'parley-orphan-ultramsg-')),
        PARLEY_MASTER_KEY: masterKey.toString('base64'),
        PARLEY_PORT: '0',
        PARLEY_EMULATOR: 'off',
        PARLEY_LOG_LEVEL: 'warn',
        PARLEY_INFLIGHT_GRACE_MS: '1000',
        PARLEY_LEASE_TTL_MS: '1000',
      };
      assert.equal((await runCli(['migrate'], env)).code, 0);
      store = openStore(db.url);
      const workspace = await createWorkspace(store.db, { name: 'orphans' });
      key = (await createApiKey(store.db, { workspaceId: workspace.id, name: 'orphans', scopes: ['admin'] })).key;
    });
    after(async () => {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await store?.close();
      await emulator?.close();
      await drop?.();
    });

    const control = (what: string, body: unknown) => fetch(`${emulator.info.url}/_emulator/${what}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const api = (url: string, route: string, body: unknown) => fetch(`${url}${route}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const start = async () => {
      const parley = await spawnParley(['start', '--json'], env);
      children.push(parley.child);
      emulator.setWebhookUrls({ ultramsg: `${parley.ready.url}/webhooks/whatsapp/ultramsg?secret=${SECRET}` });
      return parley;
    };
    /** The sends of Parley's message the emulator took (by its referenceId). */
    const emulatorSends = (messageId: string) => [...emulator.core.state.ultramsgMessages.values()].filter((m) => m.referenceId === messageId);
    const message = (id: string) => store.db.selectFrom('messages').select(['status', 'workspace_id', 'provider_id_sealed', 'claimed_by']).where('id', '=', id).executeTakeFirstOrThrow();
    const waitUntil = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
        await sleep(50);
      }
    };

    /**
     * Starts Parley, sends one message from `instanceId` whose send UltraMsg takes but never answers
     * (`processed`) or drops before taking it, kills Parley while the send is in flight, and starts it again.
     */
    const crashMidSend = async (instanceId: string, processed: boolean) => {
      assert.equal((await control('behaviour', { ultramsgAckIds: 'empty' })).status, 200);
      const first = await start();
      const res = await api(first.ready.url, '/v1/senders', { name: instanceId, provider: 'ultramsg', baseUrl: emulator.info.url, instanceId, token: emulator.info.ultramsgToken, webhookSecret: SECRET, mps: 10 });
      assert.equal(res.status, 201, await res.clone().text());
      const senderId = ((await res.json()) as { id: string }).id;
      // The send request never gets an answer: taken by the emulator (processed) or not.
      assert.equal((await control('faults', { timeoutRate: 1, timeoutMs: 600_000, timeoutProcessed: processed })).status, 200);
      const sent = await api(first.ready.url, '/v1/messages', { to: '+15550081001', from: senderId, category: 'conversation', type: 'text', text: { body: 'your parcel is on its way' } });
      assert.equal(sent.status, 202, await sent.clone().text());
      const id = ((await sent.json()) as { id: string }).id;
      const reached = () => emulator.core.state.received.toArray().some((r) => r.path === `/${instanceId}/messages/chat` && (processed ? r.messageId !== undefined : r.fault === 'timeout'));
      await waitUntil('the send is in flight', reached);
      assert.equal((await message(id)).status, 'sending');
      if (processed) await waitUntil('UltraMsg sent it and acked it', () => emulatorSends(id)[0]?.ack === 'device');
      first.child.kill('SIGKILL');
      await waitForExit(first.child);
      assert.equal((await control('faults', { timeoutRate: 0, timeoutProcessed: false })).status, 200);
      assert.equal((await message(id)).status, 'sending', 'no status named the send: the acks carried only its WhatsApp id');
      const second = await start();
      return { id, second };
    };

    it('a send UltraMsg got, whose acks name no referenceId, is found in its message list and not sent again', { timeout: 120_000 }, async () => {
      const { id, second } = await crashMidSend(INSTANCES[0], true);
      try {
        assert.equal(emulatorSends(id).length, 1);
        await waitUntil('the orphan is settled', async () => SETTLED.includes((await message(id)).status));
        // Give a resend time to happen, were there one: two more reconcile passes.
        await sleep(11_000);
        assert.equal(emulatorSends(id).length, 1, 'UltraMsg got the message once');
        const row = await message(id);
        const providerId = await openProviderId(new Keyring(store.db, masterKey), row.workspace_id, row.provider_id_sealed);
        assert.equal(providerId, String(emulatorSends(id)[0].id), "the message carries UltraMsg's id");
        assert.ok(['sent', 'delivered'].includes(row.status), `status ${row.status}: what UltraMsg's list and held acks say`);
        const events = await store.db.selectFrom('message_events').select(['kind', 'status', 'detail']).where('message_id', '=', id).execute();
        assert.ok(events.some((e) => e.kind === 'note' && e.status === 'accepted' && e.detail.includes('not sent again')), JSON.stringify(events));
        assert.ok(!events.some((e) => e.status === 'queued' && e.detail.includes('Sending again')), 'not requeued');
      } finally {
        second.child.kill('SIGTERM');
        await waitForExit(second.child);
      }
    });

    it('a send that never reached UltraMsg is not in its list, and is sent again once', { timeout: 120_000 }, async () => {
      const { id, second } = await crashMidSend(INSTANCES[1], false);
      try {
        assert.equal(emulatorSends(id).length, 0, 'the send was dropped before UltraMsg took it');
        await waitUntil('the orphan is sent again', () => emulatorSends(id).length > 0);
        await waitUntil('the message is settled', async () => SETTLED.includes((await message(id)).status));
        await sleep(6_000);
        assert.equal(emulatorSends(id).length, 1, 'UltraMsg got the message once');
        const row = await message(id);
        const providerId = await openProviderId(new Keyring(store.db, masterKey), row.workspace_id, row.provider_id_sealed);
        assert.equal(providerId, String(emulatorSends(id)[0].id));
        const events = await store.db.selectFrom('message_events').select(['kind', 'status', 'detail']).where('message_id', '=', id).execute();
        assert.ok(events.some((e) => e.kind === 'note' && e.status === 'queued' && e.detail.includes('does not have it')), JSON.stringify(events));
      } finally {
        second.child.kill('SIGTERM');
        await waitForExit(second.child);
      }
    });
  });
}

scenarios('sqlite', async () => ({ url: `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'parley-orphan-db-')), 'parley.db')}` }));
if (POSTGRES_URL) scenarios('postgres', createPostgresDatabase);
else describe('orphans of a killed worker, sent through UltraMsg [postgres]', { skip: POSTGRES_SKIP_REASON }, () => {});

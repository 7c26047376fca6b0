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
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { sleep } from '../../src/shared/time.js';
import { runCli, spawnParley, waitForExit } from '../harness/cli.js';
import { POSTGRES_SKIP_REASON, POSTGRES_URL, createPostgresDatabase } from '../harness/postgres.js';

/**
 * `kill -9` in the middle of a 20,000-message run. Every accepted message must end with the provider,
 * and the emulator (which remembers every biz_opaque_callback_data it accepted) must count zero
 * duplicate sends: a message caught in flight is matched by the status webhook carrying Parley's id,
 * and sent again only if no status came within the grace period.
 */
const TOTAL = 20_000;
const NUMBERS = ['106540300000201', '106540300000202', '106540300000203'];
const FINAL = ['accepted', 'sent', 'delivered', 'read'];

function emulatorConfig() {
  return {
    numbers: NUMBERS.map((phoneNumberId) => ({ phoneNumberId, limits: { throughputMps: 1000, dailyUniqueRecipients: null } })),
    customers: [],
    // Webhook redelivery to a dead receiver retries quickly, well within Parley's grace period.
    behaviour: { retry: { initialDelayMs: 200, maxDelayMs: 2000, maxAttempts: 200 }, readRate: 0 },
  };
}

async function statusCounts(store: Store): Promise<Record<string, number>> {
  const rows = await store.db.selectFrom('messages').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('direction', '=', 'outbound').groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

async function acceptAll(url: string, key: string, senders: string[]): Promise<void> {
  for (let b = 0; b < TOTAL / 1000; b++) {
    const messages = Array.from({ length: 1000 }, (_, i) => {
      const n = b * 1000 + i;
      return { to: `+1555${String(n).padStart(7, '0')}`, from: senders[n % senders.length], category: 'transactional', type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } };
    });
    const res = await fetch(`${url}/v1/messages:batch`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ messages }) });
    const body = (await res.json()) as { accepted: number };
    assert.equal(body.accepted, 1000, JSON.stringify(body).slice(0, 500));
  }
}

async function addSenders(url: string, key: string, emulator: RunningEmulator, mps: number): Promise<string[]> {
  const ids: string[] = [];
  for (const phoneNumberId of NUMBERS) {
    const res = await fetch(`${url}/v1/senders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: phoneNumberId, provider: 'cloud', baseUrl: emulator.info.url, phoneNumberId, wabaId: emulator.info.wabaId, accessToken: emulator.info.accessToken, mps }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    ids.push(((await res.json()) as { id: string }).id);
  }
  return ids;
}

async function waitUntilSettled(store: Store, emulator: RunningEmulator, timeoutMs: number): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await statusCounts(store);
    const settled = FINAL.reduce((n, s) => n + (counts[s] ?? 0), 0);
    if (settled === TOTAL) return counts;
    if (Date.now() > deadline) {
      const refused = await store.db.selectFrom('messages').select(['error_code', 'error_message']).where('status', 'in', ['refused', 'failed']).limit(3).execute();
      throw new Error(`not settled: ${JSON.stringify(counts)}; refused or failed: ${JSON.stringify(refused)}; emulator ${JSON.stringify(emulator.core.state.stats)}`);
    }
    await sleep(250);
  }
}

function assertExactlyOnce(emulator: RunningEmulator, counts: Record<string, number>) {
  const stats = emulator.core.state.stats;
  assert.equal(stats.duplicateSends, 0, `duplicates: ${JSON.stringify(emulator.core.state.duplicates.toArray().slice(0, 5))}`);
  assert.equal(stats.cloudSendsAccepted, TOTAL, 'every message reached the provider exactly once');
  assert.equal(FINAL.reduce((n, s) => n + (counts[s] ?? 0), 0), TOTAL);
}

describe('crash safety of the outbound pipeline [sqlite]', () => {
  let emulator: RunningEmulator;
  const appSecret = randomBytes(16).toString('hex');
  before(async () => {
    emulator = await startEmulator({ appSecret, config: emulatorConfig() });
  });
  after(() => emulator.close());

  it('kill -9 during a 20,000-message run: after restart every message is sent exactly once', { timeout: 600_000 }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-outbound-crash-'));
    const databaseUrl = `sqlite:${path.join(dataDir, 'parley.db')}`;
    const env = {
      PARLEY_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      PARLEY_MASTER_KEY: randomBytes(32).toString('base64'),
      PARLEY_WHATSAPP_APP_SECRETS: appSecret,
      PARLEY_PORT: '0',
      PARLEY_EMULATOR: 'off',
      PARLEY_LOG_LEVEL: 'warn',
      PARLEY_INFLIGHT_GRACE_MS: '15000',
      PARLEY_LEASE_TTL_MS: '3000',
    };
    // The messages are accepted by the API alone (`parley serve`: no dispatch), so that however fast
    // this machine sends, the crash below lands in the middle of the sending.
    assert.equal((await runCli(['migrate'], env)).code, 0);
    const setup = openStore(databaseUrl);
    const workspace = await createWorkspace(setup.db, { name: 'crash' });
    const { key } = await createApiKey(setup.db, { workspaceId: workspace.id, name: 'crash', scopes: ['admin'] });
    await setup.close();
    const api = await spawnParley(['serve', '--json'], env);
    const senders = await addSenders(api.ready.url, key, emulator, 300);
    await acceptAll(api.ready.url, key, senders);
    api.child.kill('SIGTERM');
    await waitForExit(api.child);

    const first = await spawnParley(['start', '--json'], env);
    emulator.setWebhookUrls({ cloud: `${first.ready.url}/webhooks/whatsapp/cloud` });
    while (emulator.core.state.stats.cloudSendsAccepted < 3000) await sleep(20);
    first.child.kill('SIGKILL');
    await waitForExit(first.child);
    const sentBeforeCrash = emulator.core.state.stats.cloudSendsAccepted;
    assert.ok(sentBeforeCrash < TOTAL, 'the crash happened mid-run');

    const second = await spawnParley(['start', '--json'], env);
    emulator.setWebhookUrls({ cloud: `${second.ready.url}/webhooks/whatsapp/cloud` });
    const store = openStore(databaseUrl);
    try {
      const counts = await waitUntilSettled(store, emulator, 420_000);
      assertExactlyOnce(emulator, counts);
    } finally {
      await store.close();
      second.child.kill('SIGTERM');
      await waitForExit(second.child);
    }
  });
});

describe('crash safety of the outbound pipeline with three workers [postgres]', { skip: POSTGRES_URL ? false : POSTGRES_SKIP_REASON }, () => {
  let emulator: RunningEmulator;
  let database: { url: string; drop: () => Promise<void> };
  const appSecret = randomBytes(16).toString('hex');
  const children: ChildProcess[] = [];
  before(async () => {
    emulator = await startEmulator({ appSecret, config: emulatorConfig() });
    database = await createPostgresDatabase();
  });
  after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await emulator.close();
    await database.drop();
  });

  it('kill -9 of a worker holding senders: the others take them over and every message is sent exactly once', { timeout: 600_000 }, async () => {
    const env = {
      DATABASE_URL: database.url,
      PARLEY_MASTER_KEY: randomBytes(32).toString('base64'),
      PARLEY_WHATSAPP_APP_SECRETS: appSecret,
      PARLEY_PORT: '0',
      PARLEY_LOG_LEVEL: 'info',
      PARLEY_INFLIGHT_GRACE_MS: '15000',
      PARLEY_LEASE_TTL_MS: '3000',
    };
    assert.equal((await runCli(['migrate'], env)).code, 0);
    const setup = openStore(database.url);
    const workspace = await createWorkspace(setup.db, { name: 'crash' });
    const { key } = await createApiKey(setup.db, { workspaceId: workspace.id, name: 'crash', scopes: ['admin'] });
    const api = await spawnParley(['serve', '--json'], env);
    children.push(api.child);
    emulator.setWebhookUrls({ cloud: `${api.ready.url}/webhooks/whatsapp/cloud` });
    const senders = await addSenders(api.ready.url, key, emulator, 300);
    await acceptAll(api.ready.url, key, senders);
    const workers = await Promise.all([1, 2, 3].map(() => spawnParley(['worker', '--json'], env)));
    children.push(...workers.map((w) => w.child));
    while (emulator.core.state.stats.cloudSendsAccepted < 3000) await sleep(20);

    // Kill a worker that holds at least one sender's lease (its pid is on its "lease acquired" log lines).
    const holders = new Set((await setup.db.selectFrom('sender_leases').select('holder').where('expires_at', '>', Date.now()).execute()).map((r) => r.holder));
    const victim = workers.find((w) => [...holders].some((h) => w.stderr().includes(h)));
    assert.ok(victim, 'a worker holds a lease');
    victim.child.kill('SIGKILL');
    await waitForExit(victim.child);
    assert.ok(emulator.core.state.stats.cloudSendsAccepted < TOTAL, 'the crash happened mid-run');

    try {
      const counts = await waitUntilSettled(setup, emulator, 420_000);
      assertExactlyOnce(emulator, counts);
    } finally {
      await setup.close();
    }
  });
});

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { openStore, type Store } from '../../src/db/database.js';
import { createWorkspace } from '../../src/workspaces/workspace-queries.js';
import { createApiKey } from '../../src/access/api-key-queries.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { sleep } from '../../src/shared/time.js';
import { runCli, spawnParley, waitForExit } from '../harness/cli.js';
import { startThrowawayPostgres, throwawayPostgresSkipReason, type ThrowawayPostgres } from '../harness/throwaway-postgres.js';

/**
 * PostgreSQL stopped and started again (what `pg_ctlcluster … restart` does) while `parley serve` and two
 * `parley worker` processes accept, send and process webhooks. Every process must stay up and carry on
 * without a manual step: requests during the gap are answered 503 with Retry-After (the client retries
 * with its Idempotency-Key), `/readyz` says not ready, workers back off and take their leases again.
 * The emulator's records must show every accepted message sent exactly once.
 */
const BEFORE = 600;
const DURING = 200;
const TOTAL = BEFORE + DURING;
const NUMBERS = ['106540300000301', '106540300000302', '106540300000303'];
const FINAL = ['accepted', 'sent', 'delivered', 'read'];

describe('PostgreSQL restarted under load with serve and two workers [postgres restart]', { skip: throwawayPostgresSkipReason ?? false }, () => {
  let cluster: ThrowawayPostgres;
  let emulator: RunningEmulator;
  const appSecret = randomBytes(16).toString('hex');
  const children: ChildProcess[] = [];

  before(async () => {
    cluster = await startThrowawayPostgres();
    emulator = await startEmulator({
      appSecret,
      config: {
        numbers: NUMBERS.map((phoneNumberId) => ({ phoneNumberId, limits: { throughputMps: 1000, dailyUniqueRecipients: null } })),
        customers: [],
        // Webhooks refused during the gap are redelivered quickly.
        behaviour: { retry: { initialDelayMs: 200, maxDelayMs: 2000, maxAttempts: 500 }, readRate: 0 },
      },
    });
  });
  after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await emulator?.close();
    await cluster?.destroy();
  });

  it('every process rides through the restart; nothing accepted is lost or sent twice', { timeout: 900_000 }, async () => {
    const env = {
      DATABASE_URL: cluster.url,
      PARLEY_MASTER_KEY: randomBytes(32).toString('base64'),
      PARLEY_WHATSAPP_APP_SECRETS: appSecret,
      PARLEY_PORT: '0',
      PARLEY_LOG_LEVEL: 'warn',
      PARLEY_LEASE_TTL_MS: '3000',
      PARLEY_INFLIGHT_GRACE_MS: '15000',
    };
    assert.equal((await runCli(['migrate'], env)).code, 0);
    const setup = openStore(cluster.url, { poolSize: 2 });
    const workspace = await createWorkspace(setup.db, { name: 'restart' });
    const { key } = await createApiKey(setup.db, { workspaceId: workspace.id, name: 'restart', scopes: ['admin'] });
    await setup.close();

    const api = await spawnParley(['serve', '--json'], env);
    children.push(api.child);
    const workers = await Promise.all([1, 2].map(() => spawnParley(['worker', '--json'], env)));
    children.push(...workers.map((w) => w.child));
    const url = api.ready.url as string;
    emulator.setWebhookUrls({ cloud: `${url}/webhooks/whatsapp/cloud` });
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

    const senders: string[] = [];
    for (const phoneNumberId of NUMBERS) {
      const res = await fetch(`${url}/v1/senders`, { method: 'POST', headers, body: JSON.stringify({ name: phoneNumberId, provider: 'cloud', baseUrl: emulator.info.url, phoneNumberId, wabaId: emulator.info.wabaId, accessToken: emulator.info.accessToken, mps: 20 }) });
      assert.equal(res.status, 201, await res.clone().text());
      senders.push(((await res.json()) as { id: string }).id);
    }

    // A client that retries 503s after Retry-After with the same Idempotency-Key, as the error's hint says.
    const accepted = new Set<string>();
    const unavailable = { count: 0, withoutRetryAfter: 0 };
    const message = (n: number) => ({ to: `+1555${String(n).padStart(7, '0')}`, from: senders[n % senders.length], category: 'transactional', type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } });
    const send = async (n: number) => {
      const body = JSON.stringify(message(n));
      for (;;) {
        const res = await fetch(`${url}/v1/messages`, { method: 'POST', headers: { ...headers, 'idempotency-key': `restart-${n}` }, body });
        if (res.status === 202) {
          accepted.add(((await res.json()) as { id: string }).id);
          return;
        }
        const text = await res.text();
        assert.equal(res.status, 503, `only 503 while the database is away, got ${res.status}: ${text}`);
        assert.equal(JSON.parse(text).error.code, 'DATABASE_UNAVAILABLE');
        unavailable.count++;
        const retryAfter = Number(res.headers.get('retry-after'));
        if (!(retryAfter > 0)) unavailable.withoutRetryAfter++;
        await sleep(Math.min(retryAfter || 1, 1) * 250);
      }
    };
    const load = async (from: number, to: number, concurrency: number) => {
      let next = from;
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < to) await send(next++);
      }));
    };

    // Each wait is bounded, and a failure shows where it stood and what the processes logged.
    const logs = () => [api, ...workers].map((p, i) => `--- ${i === 0 ? 'serve' : `worker ${i}`} (exit ${p.child.exitCode}):\n${p.stderr().slice(-3000)}`).join('\n');
    const until = async (what: string, done: () => boolean | Promise<boolean>, ms = 120_000) => {
      const deadline = Date.now() + ms;
      while (!(await done())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; emulator ${JSON.stringify(emulator.core.state.stats)}\n${logs()}`);
        await sleep(50);
      }
    };
    const settle = async (what: string, work: Promise<void>, ms = 120_000) => {
      let finished = false;
      void work.finally(() => (finished = true)).catch(() => {});
      await until(what, () => finished, ms);
      await work;
    };

    // The first messages in one batch (with their idempotency keys); the rest one by one across the gap.
    const batch = await fetch(`${url}/v1/messages:batch`, { method: 'POST', headers, body: JSON.stringify({ messages: Array.from({ length: BEFORE }, (_, n) => ({ ...message(n), idempotencyKey: `restart-${n}` })) }) });
    assert.ok(batch.ok, await batch.clone().text());
    for (const result of ((await batch.json()) as { results: Array<{ message?: { id: string } }> }).results) if (result.message) accepted.add(result.message.id);
    assert.equal(accepted.size, BEFORE);
    // Sending (60 msg/s over three senders) is under way when the database goes.
    await until('sending to start', () => emulator.core.state.stats.cloudSendsAccepted >= 100);
    const during = load(BEFORE, TOTAL, 4);
    await sleep(300);

    await cluster.stopServer('fast');
    const sentAtStop = emulator.core.state.stats.cloudSendsAccepted;
    assert.ok(sentAtStop < TOTAL, 'the restart happened mid-run');
    const ready = await fetch(`${url}/readyz`);
    assert.equal(ready.status, 503, '/readyz is not ready while the database is unreachable');
    assert.equal(((await ready.json()) as { status: string }).status, 'not_ready');
    const probe = await fetch(`${url}/v1/messages?limit=1`, { headers });
    assert.equal(probe.status, 503);
    assert.ok(Number(probe.headers.get('retry-after')) > 0, 'a 503 carries Retry-After');
    assert.equal(((await probe.json()) as { error: { code: string } }).error.code, 'DATABASE_UNAVAILABLE');
    // Down for longer than the lease TTL: leases expire and must be taken again afterwards.
    await sleep(4_000);
    for (const child of children) assert.equal(child.exitCode, null, 'no process exited while the database was down');
    await cluster.startServer();

    await settle('the messages sent during the restart to be accepted', during);
    assert.equal(accepted.size, TOTAL, 'every message was accepted once (retries carried the same Idempotency-Key)');
    assert.ok(unavailable.count > 0, 'the load met the gap');
    assert.equal(unavailable.withoutRetryAfter, 0, 'every 503 carried Retry-After');

    const store: Store = openStore(cluster.url, { poolSize: 2 });
    try {
      const deadline = Date.now() + 180_000;
      let counts: Record<string, number> = {};
      for (;;) {
        const rows = await store.db.selectFrom('messages').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('direction', '=', 'outbound').groupBy('status').execute();
        counts = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
        if (FINAL.reduce((n, s) => n + (counts[s] ?? 0), 0) === TOTAL && emulator.core.state.stats.cloudSendsAccepted >= TOTAL) break;
        if (Date.now() > deadline) throw new Error(`not settled: ${JSON.stringify(counts)}; emulator ${JSON.stringify(emulator.core.state.stats)}\n${logs()}`);
        await sleep(250);
      }
      const stats = emulator.core.state.stats;
      assert.equal(stats.duplicateSends, 0, `duplicates: ${JSON.stringify(emulator.core.state.duplicates.toArray().slice(0, 5))}`);
      assert.equal(stats.cloudSendsAccepted, TOTAL, 'every accepted message reached the provider exactly once');
      const sentIds = new Set(
        emulator.core.state.received.toArray().flatMap((r) => {
          const id = (r.body as { biz_opaque_callback_data?: unknown } | undefined)?.biz_opaque_callback_data;
          return r.status === 200 && typeof id === 'string' ? [id] : [];
        }),
      );
      assert.deepEqual([...accepted].filter((id) => !sentIds.has(id)), [], 'no accepted message is missing from what the provider received');
      // The senders' leases were taken again by the live workers.
      const leases = await store.db.selectFrom('sender_leases').select(['sender_id', 'holder', 'expires_at']).execute();
      assert.deepEqual(leases.filter((l) => l.expires_at > Date.now()).map((l) => l.sender_id).sort(), [...senders].sort());
    } finally {
      await store.close();
    }
    for (const child of children) assert.equal(child.exitCode, null, 'serve and both workers are still running');
    assert.equal((await fetch(`${url}/readyz`)).status, 200, 'ready again');
    for (const w of [api, ...workers]) assert.doesNotMatch(w.stderr(), /Unhandled 'error' event|unhandled promise rejection/);

    for (const child of children) child.kill('SIGTERM');
    for (const child of children) await waitForExit(child);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { openStore, type Store } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { configWith } from '../../src/config/load.js';
import { createContext } from '../../src/main/create-context.js';
import { createLogger } from '../../src/observability/logger.js';
import { buildApp } from '../../src/http/app.js';
import { APP } from '../../src/main/modules.js';
import { createWorkspace } from '../../src/workspaces/workspace-queries.js';
import { createApiKey } from '../../src/access/api-key-queries.js';
import { createSender } from '../../src/senders/sender-queries.js';
import { Dispatcher } from '../../src/outbound/dispatch/dispatcher.js';
import { GATES as OUTBOUND_GATES } from '../../src/main/modules.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { waitFor } from './fake-provider.js';

/**
 * SQLite on a file system that fills up: a real one, a 24 MB tmpfs mounted for the test (CI runs as
 * root; where mounting is not permitted the test is skipped and says so). The disk is filled with a
 * file, sends get 503 STORAGE_FULL, the filler is deleted, and Parley recovers without a restart.
 */
const MOUNT_SKIP = (() => {
  if (process.platform !== 'linux') return 'needs Linux to mount a small tmpfs';
  const probe = mkdtempSync(path.join(tmpdir(), 'parley-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return false;
  } catch {
    return 'mounting a small tmpfs is not permitted here (needs root)';
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
})();

describe('disk full on SQLite [sqlite]', { skip: MOUNT_SKIP }, () => {
  let mountPoint: string;
  let store: Store;
  let emulator: RunningEmulator;
  const lines: Array<{ msg: string; err?: { message?: string } }> = [];

  before(async () => {
    mountPoint = mkdtempSync(path.join(tmpdir(), 'parley-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint]);
    emulator = await startEmulator({ seed: 5, config: { customers: [] } });
  });
  after(async () => {
    await store?.close();
    await emulator?.close();
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('answers 503 STORAGE_FULL with Retry-After, logs the cause once, /readyz says so, and recovers by itself once space is freed: every accepted message sent once', async (t) => {
    const url = `sqlite:${path.join(mountPoint, 'parley.db')}`;
    store = openStore(url, { backgroundCheckpoints: { everyMs: 50 } });
    await migrate(store);
    const logger = createLogger({
      level: 'info',
      destination: new Writable({
        write(chunk, _encoding, done) {
          for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
          done();
        },
      }),
    });
    const ctx = createContext({ config: configWith({ databaseUrl: url, logLevel: 'info' }), masterKey: randomBytes(32), store, logger });
    const app = await buildApp(ctx, APP);
    t.after(() => app.close());
    await app.ready();
    const ws = await createWorkspace(ctx.db, { name: 'disk full' });
    const { key } = await createApiKey(ctx.db, { workspaceId: ws.id, name: 'test', scopes: ['admin'] });
    const authorization = `Bearer ${key}`;
    const phoneNumberId = emulator.info.phoneNumberIds[0];
    await createSender(ctx.db, ctx.keyring, { workspaceId: ws.id, name: 'main', provider: 'cloud', baseUrl: emulator.info.url, graphVersion: 'v23.0', phoneNumberId, wabaId: emulator.info.wabaId, credentials: { accessToken: emulator.info.accessToken }, mps: 80 });
    const dispatcher = new Dispatcher(ctx, { gates: OUTBOUND_GATES });
    dispatcher.start();
    t.after(() => dispatcher.stop());

    let n = 0;
    const send = () => app.inject({ method: 'POST', url: '/v1/messages', headers: { authorization }, payload: { to: `+1555020${String(1000 + (n++ % 9000))}`, type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } } });
    const accepted: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await send();
      assert.equal(res.statusCode, 202, res.body);
      accepted.push(res.json().id);
    }

    // Fill the file system.
    const filler = path.join(mountPoint, 'filler');
    const chunk = Buffer.alloc(64 * 1024, 1);
    try {
      for (;;) appendFileSync(filler, chunk);
    } catch (error) {
      assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
    }
    try {
      for (;;) appendFileSync(filler, chunk.subarray(0, 512));
    } catch {
      // full to the last block
    }
    assert.ok(statfsSync(mountPoint).bavail <= 1);

    // Sends fail as a storage problem, not an internal error (some may still fit in free WAL frames).
    let refused: Awaited<ReturnType<typeof send>> | undefined;
    for (let i = 0; i < 2000 && !refused; i++) {
      const res = await send();
      if (res.statusCode === 202) accepted.push(res.json().id);
      else refused = res;
    }
    assert.ok(refused, 'a send was refused while the disk was full');
    assert.equal(refused.statusCode, 503, refused.body);
    assert.equal(refused.json().error.code, 'STORAGE_FULL');
    assert.match(refused.json().error.message, /disk .* is full/);
    assert.equal(refused.headers['retry-after'], '30');
    for (let i = 0; i < 20; i++) {
      // A send may still fit in a freed WAL frame: one answered 202 must reach the provider like the others.
      const res = await send();
      assert.notEqual(res.statusCode, 500);
      if (res.statusCode === 202) accepted.push(res.json().id);
    }
    const notReady = await app.inject({ url: '/readyz' });
    assert.equal(notReady.statusCode, 503);
    assert.match(notReady.json().reason, /storage full/);
    const metrics = (await app.inject({ url: '/metrics' })).body;
    assert.match(metrics, /^parley_storage_full 1$/m);
    assert.match(metrics, /^parley_storage_free_bytes \d+$/m);
    assert.match(metrics, /^parley_sqlite_wal_bytes \d+$/m);
    // Let the background loops (dispatcher, outcome writer) fail against the full disk for a while.
    await new Promise((r) => setTimeout(r, 1500));

    // Free the space. No restart: the same process and connection carry on.
    rmSync(filler);
    await waitFor(async () => (await app.inject({ url: '/readyz' })).statusCode === 200, 20_000, 'ready again');
    for (let i = 0; i < 10; i++) {
      const res = await send();
      assert.equal(res.statusCode, 202, res.body);
      accepted.push(res.json().id);
    }
    const sent = () => new Set([...emulator.core.state.messages.values()].filter((m) => m.phoneNumberId === phoneNumberId).map((m) => m.bizOpaque));
    await waitFor(() => accepted.every((id) => sent().has(id)), 30_000, 'every accepted message with the provider');
    await waitFor(async () => /^parley_storage_full 0$/m.test((await app.inject({ url: '/metrics' })).body), 10_000, 'the episode is over');

    // 0 lost, 0 duplicates: every message answered 202 reached the emulator exactly once.
    const received = [...emulator.core.state.messages.values()].filter((m) => m.phoneNumberId === phoneNumberId).map((m) => m.bizOpaque);
    assert.equal(received.length, accepted.length);
    assert.deepEqual([...received].sort(), [...accepted].sort());
    assert.equal(emulator.core.state.stats.duplicateSends, 0);

    // The cause was logged once per episode, and nothing hid it.
    assert.equal(lines.filter((l) => l.msg.startsWith('database storage is full')).length, 1, lines.map((l) => l.msg).join('\n'));
    assert.equal(lines.filter((l) => l.msg === 'database storage is writable again').length, 1);
    assert.deepEqual(lines.filter((l) => /cannot rollback/.test(JSON.stringify(l))), []);
    assert.deepEqual(lines.filter((l) => l.msg === 'unhandled error').map((l) => l.err?.message), []);

    // Idle, the WAL is truncated: the space a burst took is given back.
    await waitFor(() => store.storage!.walBytes() === 0, 20_000, 'the WAL truncated while idle');
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openStore } from '../../src/db/database.js';
import { providerIdHash } from '../../src/messages/provider-ids.js';
import { migrate } from '../../src/db/migrate.js';
import { configWith } from '../../src/config/load.js';
import { createContext } from '../../src/main/create-context.js';
import { createLogger } from '../../src/observability/logger.js';
import { buildApp } from '../../src/http/app.js';
import { APP } from '../../src/main/modules.js';
import { createWorkspace } from '../../src/workspaces/workspace-queries.js';
import { runCli } from '../harness/cli.js';
import { APP_SECRET, fixture, insertSender, postCloud, withMessageId } from './helpers.js';

describe('parley webhooks replay', () => {
  it('re-processes stored deliveries since a time, idempotently', { timeout: 120_000 }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-replay-'));
    const masterKey = randomBytes(32);
    const databaseUrl = `sqlite:${path.join(dataDir, 'parley.db')}`;
    const env = { PARLEY_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, PARLEY_MASTER_KEY: masterKey.toString('base64'), PARLEY_LOG_LEVEL: 'warn' };

    // Deliveries stored while the number was not configured yet: kept as failed.
    const store = openStore(databaseUrl);
    await migrate(store);
    const ctx = createContext({ config: configWith({ databaseUrl, whatsappAppSecrets: APP_SECRET, logLevel: 'silent' }), masterKey, store, logger: createLogger({ level: 'silent' }) });
    const app = await buildApp(ctx, APP);
    const workspace = await createWorkspace(store.db, { name: 'replay' });
    const since = new Date(Date.now() - 1000).toISOString();
    const ids = [1, 2, 3].map((i) => `wamid.replay.${i}`);
    for (const id of ids) assert.equal((await postCloud(app, withMessageId(fixture('cloud-text-message.json'), id))).statusCode, 200);
    await app.close();
    const { WebhookProcessor } = await import('../../src/webhooks/processor.js');
    await new WebhookProcessor(ctx).runOnce();
    const failed = await store.db.selectFrom('webhook_log').select('state').execute();
    assert.deepEqual(failed.map((r) => r.state), ['failed', 'failed', 'failed']);

    // The operator adds the sender, then replays.
    await insertSender(store.db, ctx.keyring, { workspaceId: workspace.id });
    await store.close();

    const first = await runCli(['webhooks', 'replay', '--since', since, '--json'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(JSON.parse(first.stdout), { requeued: 3, processed: 3, failed: 0 });
    const second = await runCli(['webhooks', 'replay', '--since', since, '--json'], env);
    assert.deepEqual(JSON.parse(second.stdout), { requeued: 3, processed: 3, failed: 0 });

    const check = openStore(databaseUrl);
    try {
      const messages = await check.db.selectFrom('messages').select('id').where('provider_id_hash', 'in', ids.map((id) => providerIdHash(ctx.keyring, id))).execute();
      assert.equal(messages.length, 3, 'each delivery stored once, however often replayed');
      const windows = await check.db.selectFrom('service_windows').selectAll().execute();
      assert.equal(windows.length, 1);
    } finally {
      await check.close();
    }

    const later = await runCli(['webhooks', 'replay', '--since', new Date(Date.now() + 60_000).toISOString(), '--json'], env);
    assert.deepEqual(JSON.parse(later.stdout), { requeued: 0, processed: 0, failed: 0 });
    const bad = await runCli(['webhooks', 'replay', '--since', 'yesterday'], env);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /not an ISO time/);
    const help = await runCli(['webhooks', 'replay', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: parley webhooks replay/);
  });
});

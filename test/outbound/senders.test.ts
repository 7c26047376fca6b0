import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Migrator, type Migration as KyselyMigration } from 'kysely';
import { describeStorage } from '../harness/storage.js';
import { runCli } from '../harness/cli.js';
import { POSTGRES_SKIP_REASON, POSTGRES_URL, createPostgresDatabase } from '../harness/postgres.js';
import { DIALECTS } from '../../src/db/dialect.js';
import { openStore } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { MIGRATIONS } from '../../src/db/migrations/index.js';
import { createWorkspace } from '../../src/workspaces/workspace-queries.js';

describeStorage('sender numbers', (fx) => {
  it('adds Cloud API and UltraMsg senders; credentials are stored encrypted and never returned', async () => {
    const app = await fx.app();
    const { authorization } = await fx.workspace();
    const cloud = await app.inject({
      method: 'POST',
      url: '/v1/senders',
      headers: { authorization },
      payload: { name: 'Support', provider: 'cloud', phoneNumberId: '106540352242922', wabaId: '102290129340398', accessToken: 'EAAG-secret-token-123', baseUrl: 'http://127.0.0.1:8081', mps: 1000, messagingLimit: 2000 },
    });
    assert.equal(cloud.statusCode, 201, cloud.body);
    const body = cloud.json();
    assert.equal(body.graphVersion, 'v23.0');
    assert.equal(body.portfolioId, '102290129340398', 'the portfolio defaults to the WABA');
    assert.equal(body.hasCredentials, true);
    assert.ok(!cloud.body.includes('EAAG-secret-token-123'));
    const listed = await app.inject({ url: '/v1/senders', headers: { authorization } });
    assert.ok(!listed.body.includes('EAAG-secret'));
    const row = await fx.db.selectFrom('senders').select('credentials').where('id', '=', body.id).executeTakeFirstOrThrow();
    assert.ok(!row.credentials.includes('EAAG-secret'));

    const ultramsg = await app.inject({ method: 'POST', url: '/v1/senders', headers: { authorization }, payload: { name: 'Legacy', provider: 'ultramsg', instanceId: 'instance1150', token: 'tok' } });
    assert.equal(ultramsg.statusCode, 201);
    assert.equal(ultramsg.json().baseUrl, 'https://api.ultramsg.com');
    assert.equal(ultramsg.json().mps, 1);
  });

  it('says which field a provider needs when it is missing', async () => {
    const app = await fx.app();
    const { authorization } = await fx.workspace();
    const res = await app.inject({ method: 'POST', url: '/v1/senders', headers: { authorization }, payload: { name: 'x', provider: 'cloud', phoneNumberId: '1', accessToken: 't' } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'SENDER_INVALID');
    assert.equal(res.json().error.field, '/wabaId');
    const tooFast = await app.inject({ method: 'POST', url: '/v1/senders', headers: { authorization }, payload: { name: 'x', provider: 'cloud', phoneNumberId: '1', wabaId: '2', accessToken: 't', mps: 5000 } });
    assert.equal(tooFast.statusCode, 400);
    assert.equal(tooFast.json().error.field, '/mps');
  });

  it('updates throughput and disables a sender; other workspaces cannot see it', async () => {
    const app = await fx.app();
    const a = await fx.workspace();
    const b = await fx.workspace();
    const created = (await app.inject({ method: 'POST', url: '/v1/senders', headers: { authorization: a.authorization }, payload: { name: 'x', provider: 'cloud', phoneNumberId: 'p1', wabaId: 'w1', accessToken: 't' } })).json();
    const patched = await app.inject({ method: 'PATCH', url: `/v1/senders/${created.id}`, headers: { authorization: a.authorization }, payload: { mps: 250, status: 'disabled' } });
    assert.equal(patched.json().mps, 250);
    assert.equal(patched.json().status, 'disabled');
    assert.equal(created.health.state, 'ok');
    assert.equal(patched.json().health.state, 'paused', 'a disabled sender reports its health as paused');
    const foreign = await app.inject({ url: `/v1/senders/${created.id}`, headers: { authorization: b.authorization } });
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.json().error.code, 'SENDER_NOT_FOUND');
  });
});

describeStorage('one provider number, one sender', (fx) => {
  const add = async (app: Awaited<ReturnType<typeof fx.app>>, authorization: string, payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/v1/senders', headers: { authorization }, payload: { name: 'n', ...payload } });

  it('refuses a Cloud API phone number id already registered in another workspace (or the same one) with 409 SENDER_NUMBER_TAKEN', async () => {
    const app = await fx.app();
    const a = await fx.workspace();
    const b = await fx.workspace();
    const cloud = { provider: 'cloud', phoneNumberId: '555000111222333', wabaId: 'w1', accessToken: 't' };
    assert.equal((await add(app, a.authorization, cloud)).statusCode, 201);
    const second = await add(app, b.authorization, { ...cloud, wabaId: 'w2' });
    assert.equal(second.statusCode, 409, second.body);
    const error = second.json().error;
    assert.equal(error.code, 'SENDER_NUMBER_TAKEN');
    assert.equal(error.field, '/phoneNumberId');
    assert.match(error.message, /another workspace/);
    assert.ok(error.hint.length > 0);
    assert.equal(error.details.senderId, undefined, "another workspace's sender id is not disclosed");
    const again = await add(app, a.authorization, cloud);
    assert.equal(again.statusCode, 409);
    assert.match(again.json().error.message, /this workspace/);
    const listed = (await app.inject({ url: '/v1/senders', headers: { authorization: b.authorization } })).json().data;
    assert.equal(listed.length, 0, 'nothing was stored for the second workspace');
  });

  it('refuses an UltraMsg instance already registered, with or without the "instance" prefix', async () => {
    const app = await fx.app();
    const a = await fx.workspace();
    const b = await fx.workspace();
    assert.equal((await add(app, a.authorization, { provider: 'ultramsg', instanceId: 'instance987654', token: 't' })).statusCode, 201);
    const second = await add(app, b.authorization, { provider: 'ultramsg', instanceId: '987654', token: 'u' });
    assert.equal(second.statusCode, 409);
    assert.equal(second.json().error.code, 'SENDER_NUMBER_TAKEN');
    assert.equal(second.json().error.field, '/instanceId');
  });
});

describe('migration 0009 on a database that already holds duplicate numbers', () => {
  for (const dialect of DIALECTS) {
    const skip = dialect === 'postgres' && !POSTGRES_URL ? POSTGRES_SKIP_REASON : false;
    it(`keeps the oldest sender of each number, disables the younger duplicates, then enforces uniqueness [${dialect}]`, { skip }, async () => {
      let url: string;
      let cleanup: () => Promise<void> | void;
      if (dialect === 'sqlite') {
        const dir = mkdtempSync(path.join(tmpdir(), 'parley-0009-'));
        url = `sqlite:${path.join(dir, 'parley.db')}`;
        cleanup = () => rmSync(dir, { recursive: true, force: true });
      } else {
        ({ url, drop: cleanup } = await createPostgresDatabase());
      }
      const store = openStore(url, { poolSize: 2 });
      try {
        // The schema as it was before 0009.
        const before = Object.fromEntries(
          Object.entries(MIGRATIONS)
            .filter(([name]) => name < '0009')
            .map(([name, m]) => [name, { up: (db) => m.up(db, store.dialect) } satisfies KyselyMigration]),
        );
        const { error } = await new Migrator({ db: store.db, provider: { getMigrations: async () => before }, allowUnorderedMigrations: true }).migrateToLatest();
        assert.ifError(error);
        const one = await createWorkspace(store.db, { name: 'one' });
        const two = await createWorkspace(store.db, { name: 'two' });
        const row = (id: string, workspaceId: string, at: number, extra: Record<string, unknown>) => ({
          id, workspace_id: workspaceId, name: id, base_url: 'http://127.0.0.1:9', graph_version: null, phone_number_id: null, waba_id: null, instance_id: null, display_phone: null,
          credentials: 'x', webhook_secret: null, mps: 1, messaging_limit: null, portfolio_id: id, status: 'active' as const, quality: null, created_at: at, updated_at: at, ...extra,
        });
        await store.db.insertInto('senders').values([
          row('snd_b', two.id, 2000, { provider: 'cloud', phone_number_id: '777' }),
          row('snd_a', one.id, 1000, { provider: 'cloud', phone_number_id: '777' }),
          row('snd_c', two.id, 3000, { provider: 'ultramsg', instance_id: 'instance42' }),
          row('snd_d', one.id, 4000, { provider: 'ultramsg', instance_id: '42' }),
          row('snd_e', one.id, 5000, { provider: 'cloud', phone_number_id: '888' }),
        ] as never).execute();
        const { applied } = await migrate(store);
        assert.deepEqual(applied.filter((n) => n.startsWith('0009')), ['0009-number-claims-event-order']);
        const after0009 = await store.db.selectFrom('senders').select(['id', 'status', 'number_key']).orderBy('id').execute();
        assert.deepEqual(after0009, [
          { id: 'snd_a', status: 'active', number_key: 'cloud:777' },
          { id: 'snd_b', status: 'disabled', number_key: null },
          { id: 'snd_c', status: 'active', number_key: 'ultramsg:42' },
          { id: 'snd_d', status: 'disabled', number_key: null },
          { id: 'snd_e', status: 'active', number_key: 'cloud:888' },
        ]);
        await assert.rejects(store.db.updateTable('senders').set({ number_key: 'cloud:777' }).where('id', '=', 'snd_b').execute(), 'the unique index holds');
      } finally {
        await store.close();
        await cleanup();
      }
    });
  }
});

describeStorage('senders CLI', (fx) => {
  it('`parley senders add` and `list` work and never print the token', async () => {
    const env = { DATABASE_URL: fx.url, PARLEY_MASTER_KEY: fx.masterKey.toString('base64') };
    const { workspaceId } = await fx.workspace();
    const added = await runCli(['senders', 'add', '--workspace', workspaceId, '--name', 'cli', '--provider', 'cloud', '--phone-number-id', '999', '--waba-id', '888', '--access-token', 'super-secret-value', '--json'], env);
    assert.equal(added.code, 0, added.stderr);
    assert.ok(!added.stdout.includes('super-secret-value'));
    const list = await runCli(['senders', 'list', '--workspace', workspaceId], env);
    assert.match(list.stdout, /999/);
    assert.ok(!list.stdout.includes('super-secret-value'));
  });
});

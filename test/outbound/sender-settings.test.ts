import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import type { Store } from '../../src/db/database.js';
import { DIALECTS } from '../../src/db/dialect.js';
import { migrate } from '../../src/db/migrate.js';
import { createWorkspace } from '../../src/workspaces/workspace-queries.js';
import { listSenders } from '../../src/senders/sender-queries.js';
import { presentSender } from '../../src/senders/routes.js';
import { POSTGRES_SKIP_REASON, POSTGRES_URL } from '../harness/postgres.js';
import { storeAtEarlierSchema } from '../harness/earlier-schema.js';
import { describeStorage } from '../harness/storage.js';

const unique = () => Math.random().toString(36).slice(2, 10);

// A sender's provider-specific settings are one JSON column, checked against the provider's schema
// (decision 0014); the senders API still names each setting as a field of its own.
describeStorage('sender settings', (fx) => {
  it('the API writes each provider\'s own settings into `settings` and answers them as before', async () => {
    const app = await fx.app();
    const { authorization } = await fx.workspace();
    const phoneNumberId = `pn${unique()}`;
    const cloud = await app.inject({ method: 'POST', url: '/v1/senders', headers: { authorization }, payload: { name: 'c', provider: 'cloud', phoneNumberId, wabaId: 'waba-s', accessToken: 't', instanceId: 'ignored' } });
    assert.equal(cloud.statusCode, 201, cloud.body);
    const { id: _id, createdAt: _c, updatedAt: _u, health: _h, ...view } = cloud.json() as Record<string, unknown>;
    assert.deepEqual(view, {
      name: 'c', provider: 'cloud', baseUrl: 'https://graph.facebook.com', graphVersion: 'v23.0', phoneNumberId, wabaId: 'waba-s', instanceId: null, displayPhone: null,
      mps: 80, messagingLimit: null, portfolioId: 'waba-s', status: 'active', quality: null, hasCredentials: true,
    });
    const row = await fx.db.selectFrom('senders').select(['settings', 'number_key', 'waba_id']).where('id', '=', cloud.json().id).executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(row.settings), { phoneNumberId, graphVersion: 'v23.0' }, 'another provider\'s setting is left out');
    assert.equal(row.number_key, `cloud:${phoneNumberId}`);
    assert.equal(row.waba_id, 'waba-s');

    const instanceId = `instance${unique()}`;
    const ultramsg = await app.inject({ method: 'POST', url: '/v1/senders', headers: { authorization }, payload: { name: 'u', provider: 'ultramsg', instanceId, token: 't' } });
    assert.equal(ultramsg.statusCode, 201, ultramsg.body);
    assert.equal(ultramsg.json().graphVersion, null);
    assert.equal(ultramsg.json().instanceId, instanceId);
    const urow = await fx.db.selectFrom('senders').select(['settings', 'number_key']).where('id', '=', ultramsg.json().id).executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(urow.settings), { instanceId });
    assert.equal(urow.number_key, `ultramsg:${instanceId.slice('instance'.length)}`);
  });

  it('a changed Graph version goes through the provider\'s schema; a provider without one refuses it with the field', async () => {
    const app = await fx.app();
    const { authorization } = await fx.workspace();
    const cloud = (await app.inject({ method: 'POST', url: '/v1/senders', headers: { authorization }, payload: { name: 'c', provider: 'cloud', phoneNumberId: `pn${unique()}`, wabaId: 'w', accessToken: 't' } })).json();
    const patched = await app.inject({ method: 'PATCH', url: `/v1/senders/${cloud.id}`, headers: { authorization }, payload: { graphVersion: 'v24.0' } });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().graphVersion, 'v24.0');
    assert.equal(patched.json().phoneNumberId, cloud.phoneNumberId);
    const ultramsg = (await app.inject({ method: 'POST', url: '/v1/senders', headers: { authorization }, payload: { name: 'u', provider: 'ultramsg', instanceId: `instance${unique()}`, token: 't' } })).json();
    const refused = await app.inject({ method: 'PATCH', url: `/v1/senders/${ultramsg.id}`, headers: { authorization }, payload: { graphVersion: 'v24.0' } });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.equal(refused.json().error.code, 'SENDER_INVALID');
    assert.equal(refused.json().error.field, '/graphVersion');
  });
});

for (const dialect of DIALECTS) {
  describe(`sender settings stored before 0014 [${dialect}]`, { skip: dialect === 'postgres' && !POSTGRES_URL ? POSTGRES_SKIP_REASON : false }, () => {
    let store: Store;
    const cleanup: Array<() => unknown> = [];
    before(async () => {
      ({ store } = await storeAtEarlierSchema(dialect, (name) => name < '0014', cleanup));
    });
    after(async () => {
      await store?.close();
      for (const fn of cleanup.reverse()) await fn();
    });

    it('migration 0014 carries every sender\'s provider columns into `settings` and drops them (and their indexes)', async () => {
      const legacy = store.db as unknown as Kysely<any>;
      const ws = await createWorkspace(store.db, { name: 'legacy' });
      const now = Date.now();
      const row = (id: string, at: number, extra: Record<string, unknown>) => ({
        id, workspace_id: ws.id, name: id, base_url: 'http://127.0.0.1:9', graph_version: null, phone_number_id: null, waba_id: null, instance_id: null, number_key: null, display_phone: null,
        credentials: 'x', webhook_secret: null, mps: 1, messaging_limit: null, portfolio_id: id, status: 'active', quality: null, created_at: now + at, updated_at: now + at, ...extra,
      });
      await legacy.insertInto('senders').values([
        row('snd_full', 1, { provider: 'cloud', graph_version: 'v21.0', phone_number_id: '777', waba_id: 'waba1', number_key: 'cloud:777' }),
        row('snd_bare', 2, { provider: 'cloud', phone_number_id: '888', number_key: 'cloud:888' }),
        row('snd_um', 3, { provider: 'ultramsg', instance_id: 'instance42', waba_id: 'waba1', number_key: 'ultramsg:42' }),
        row('snd_dup', 4, { provider: 'cloud', graph_version: 'v21.0', phone_number_id: '777', waba_id: 'waba1', status: 'disabled' }),
      ]).execute();

      await migrate(store);

      const rows = await store.db.selectFrom('senders').select(['id', 'settings', 'waba_id', 'number_key']).where('workspace_id', '=', ws.id).orderBy('id').execute();
      assert.deepEqual(rows.map((r) => ({ ...r, settings: JSON.parse(r.settings) })), [
        { id: 'snd_bare', settings: { phoneNumberId: '888' }, waba_id: null, number_key: 'cloud:888' },
        { id: 'snd_dup', settings: { phoneNumberId: '777', graphVersion: 'v21.0' }, waba_id: 'waba1', number_key: null },
        { id: 'snd_full', settings: { phoneNumberId: '777', graphVersion: 'v21.0' }, waba_id: 'waba1', number_key: 'cloud:777' },
        { id: 'snd_um', settings: { instanceId: 'instance42' }, waba_id: 'waba1', number_key: 'ultramsg:42' },
      ]);
      const columns = (await store.db.introspection.getTables()).find((t) => t.name === 'senders')!.columns.map((c) => c.name);
      for (const gone of ['graph_version', 'phone_number_id', 'instance_id']) assert.ok(!columns.includes(gone), `${gone} is dropped`);
      for (const kept of ['settings', 'waba_id', 'number_key']) assert.ok(columns.includes(kept), `${kept} stays`);
      // No row is left with the column's empty default, and the senders API answers the carried rows as before.
      const empty = await sql<{ n: number }>`select count(*) as n from senders where settings = '{}'`.execute(store.db);
      assert.equal(Number(empty.rows[0].n), 0);
      const presented = Object.fromEntries((await listSenders(store.db, ws.id)).map((s) => {
        const { graphVersion, phoneNumberId, wabaId, instanceId } = presentSender(s);
        return [s.id, { graphVersion, phoneNumberId, wabaId, instanceId }];
      }));
      assert.deepEqual(presented, {
        snd_full: { graphVersion: 'v21.0', phoneNumberId: '777', wabaId: 'waba1', instanceId: null },
        snd_bare: { graphVersion: null, phoneNumberId: '888', wabaId: null, instanceId: null },
        snd_um: { graphVersion: null, phoneNumberId: null, wabaId: 'waba1', instanceId: 'instance42' },
        snd_dup: { graphVersion: 'v21.0', phoneNumberId: '777', wabaId: 'waba1', instanceId: null },
      });
    });
  });
}

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { Store } from '../../src/db/database.js';
import { DIALECTS } from '../../src/db/dialect.js';
import { migrate } from '../../src/db/migrate.js';
import { createWorkspace } from '../../src/workspaces/workspace-queries.js';
import { newId } from '../../src/shared/ids.js';
import { POSTGRES_SKIP_REASON, POSTGRES_URL } from '../harness/postgres.js';
import { storeAtEarlierSchema } from '../harness/earlier-schema.js';
import { describeStorage } from '../harness/storage.js';
import { pipeline } from './helpers.js';

// A message's lane is `lane` in the API, the database and the code; the API still takes and answers
// its earlier name `category` (decision 0013).
describeStorage('the lane field', (fx) => {
  // Free-form text, to numbers whose 24-hour window is open.
  const text = { type: 'text', text: { body: 'Your parcel is on its way' } };

  it('a request names the lane as `lane`; the answer, the message and the list carry it (and `category`, deprecated)', async (t) => {
    const p = await pipeline(fx, t);
    await p.openWindow('+15550130001');
    const res = await p.send({ to: '+15550130001', lane: 'otp', ...text });
    assert.equal(res.statusCode, 202, res.body);
    const accepted = res.json();
    assert.equal(accepted.lane, 'otp');
    assert.equal(accepted.category, 'otp');
    const read = (await p.app.inject({ method: 'GET', url: `/v1/messages/${accepted.id}`, headers: { authorization: p.authorization } })).json();
    assert.equal(read.lane, 'otp');
    assert.equal(read.category, 'otp');
    const listed = (await p.app.inject({ method: 'GET', url: '/v1/messages?limit=500', headers: { authorization: p.authorization } })).json();
    const row = listed.data.find((m: { id: string }) => m.id === accepted.id);
    assert.equal(row.lane, 'otp');
    assert.equal(row.category, 'otp');
    const stored = await p.ctx.db.selectFrom('messages').select(['lane', 'lane_priority']).where('id', '=', accepted.id).executeTakeFirstOrThrow();
    assert.deepEqual(stored, { lane: 'otp', lane_priority: 0 });
  });

  it('the deprecated `category` still names the lane, and a retry may switch names without an idempotency conflict', async (t) => {
    const p = await pipeline(fx, t);
    await p.openWindow('+15550130002');
    const first = await p.send({ to: '+15550130002', category: 'conversation', ...text }, { 'idempotency-key': 'lane-rename-1' });
    assert.equal(first.statusCode, 202, first.body);
    assert.equal(first.json().lane, 'conversation');
    const retry = await p.send({ to: '+15550130002', lane: 'conversation', ...text }, { 'idempotency-key': 'lane-rename-1' });
    assert.ok(retry.statusCode < 300, retry.body);
    assert.equal(retry.json().id, first.json().id, 'the same message, replayed');
    const other = await p.send({ to: '+15550130002', lane: 'marketing', ...text }, { 'idempotency-key': 'lane-rename-1' });
    assert.equal(other.statusCode, 409, 'another lane under the same key is another request');
    assert.equal(other.json().error.code, 'IDEMPOTENCY_CONFLICT');
  });

  it('`lane` and `category` that disagree are a 400 naming the field, and nothing is stored', async (t) => {
    const p = await pipeline(fx, t);
    await p.openWindow('+15550130003');
    const before = await p.ctx.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await p.send({ to: '+15550130003', lane: 'otp', category: 'marketing', ...text });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().error.code, 'REQUEST_INVALID');
    assert.equal(res.json().error.field, '/category');
    const afterCount = await p.ctx.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(afterCount.n), Number(before.n));
    const agreeing = await p.send({ to: '+15550130003', lane: 'transactional', category: 'transactional', ...text });
    assert.equal(agreeing.statusCode, 202, agreeing.body);
  });
});

for (const dialect of DIALECTS) {
  describe(`lanes stored before 0013 [${dialect}]`, { skip: dialect === 'postgres' && !POSTGRES_URL ? POSTGRES_SKIP_REASON : false }, () => {
    let store: Store;
    const cleanup: Array<() => unknown> = [];
    before(async () => {
      ({ store } = await storeAtEarlierSchema(dialect, (name) => name < '0013', cleanup));
    });
    after(async () => {
      await store?.close();
      for (const fn of cleanup.reverse()) await fn();
    });

    it('migration 0013 carries every message\'s lane from `category` to `lane`', async () => {
      const legacy = store.db as unknown as Kysely<any>;
      const ws = await createWorkspace(store.db, { name: 'legacy' });
      const now = Date.now();
      const ids: Record<string, string> = {};
      for (const lane of ['otp', 'marketing', null] as const) {
        const id = newId('msg');
        ids[String(lane)] = id;
        await legacy.insertInto('messages').values({
          id, workspace_id: ws.id, direction: lane ? 'outbound' : 'inbound', sender_id: null, contact_id: null, category: lane, lane_priority: lane === 'otp' ? 0 : 3, type: 'text', content: null,
          template_name: null, template_language: null, intent: null, status: 'queued', status_rank: 1, status_at: now, provider_id_sealed: null, provider_id_hash: null, idempotency_key: null,
          request_hash: null, send_at: now, valid_until: null, next_attempt_at: now, claimed_by: null, claimed_at: null, error_code: null, error_message: null, metadata: '{}', reply_to: null,
          created_at: now, updated_at: now,
        }).execute();
      }
      await migrate(store);
      const rows = await store.db.selectFrom('messages').select(['id', 'lane']).where('workspace_id', '=', ws.id).execute();
      const laneOf = Object.fromEntries(rows.map((r) => [r.id, r.lane]));
      assert.deepEqual(laneOf, { [ids.otp]: 'otp', [ids.marketing]: 'marketing', [ids.null]: null });
    });
  });
}

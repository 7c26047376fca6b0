import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { recordSome, verify } from './fixtures.js';
import { checkpointKey, writeDueCheckpoints } from '../../src/audit/checkpoints.js';
import { DAY } from '../../src/shared/time.js';

describeStorage('GET /v1/audit', (fx) => {
  it('lists entries newest first, filtered by actor, resource, action and time, paged by cursor', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { workspaceId, authorization } = await fx.workspace();
    const now = Date.now();
    await recordSome(ctx, workspaceId, 7, { at: (i) => now - (7 - i) * DAY });

    const all = (await app.inject({ url: '/v1/audit', headers: { authorization } })).json();
    assert.deepEqual(all.data.map((e: { seq: number }) => e.seq), [7, 6, 5, 4, 3, 2, 1]);
    assert.equal(all.nextCursor, null);
    const first = all.data.at(-1);
    assert.deepEqual(first.actor, { type: 'user', id: 'usr_0', via: 'key_abc' });
    assert.deepEqual(first.resource, { type: 'contact', id: 'ct_x0' });
    assert.deepEqual(first.diff, { language: { from: 'en', to: 'pt_BR' }, phone: { ref: 'contact:ct_x0.phone' } });
    assert.deepEqual(first.origin, { address: '203.0.113.7', userAgent: 'test-agent/1', requestId: 'req_0' });
    assert.equal(first.at, new Date(now - 7 * DAY).toISOString());
    assert.equal(first.prevHash, '0'.repeat(64));

    const pages: number[][] = [];
    let cursor: string | null = null;
    do {
      const res: { statusCode: number; json(): { data: Array<{ seq: number }>; nextCursor: string | null } } = await app.inject({ url: '/v1/audit', query: { limit: '3', ...(cursor ? { cursor } : {}) }, headers: { authorization } });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      pages.push(body.data.map((e: { seq: number }) => e.seq));
      cursor = body.nextCursor;
    } while (cursor);
    assert.deepEqual(pages, [[7, 6, 5], [4, 3, 2], [1]]);

    const seqs = async (query: Record<string, string>) => (await app.inject({ url: '/v1/audit', query, headers: { authorization } })).json().data.map((e: { seq: number }) => e.seq);
    assert.deepEqual(await seqs({ action: 'contact.read_pii' }), [6, 4, 2]);
    assert.deepEqual(await seqs({ actorType: 'user' }), [7, 4, 1]);
    assert.deepEqual(await seqs({ actorType: 'api_key', actorId: 'key_abc' }), [6, 5, 3, 2]);
    assert.deepEqual(await seqs({ resourceType: 'contact', resourceId: 'ct_x3' }), [4]);
    assert.deepEqual(await seqs({ from: new Date(now - 3 * DAY).toISOString(), to: new Date(now - DAY).toISOString() }), [6, 5]);
    assert.deepEqual(await seqs({ action: 'contact.read_pii', limit: '1', cursor: (await app.inject({ url: '/v1/audit', query: { action: 'contact.read_pii', limit: '1' }, headers: { authorization } })).json().nextCursor }), [4]);

    const bad = await app.inject({ url: '/v1/audit', query: { cursor: 'not-a-cursor' }, headers: { authorization } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'CURSOR_INVALID');
    assert.equal((await app.inject({ url: '/v1/audit', query: { from: 'yesterday' }, headers: { authorization } })).statusCode, 400);
    assert.equal((await app.inject({ url: '/v1/audit', query: { actorType: 'robot' }, headers: { authorization } })).statusCode, 400);
  });

  it('needs audit.read, and never shows another workspace\'s entries', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const mine = await fx.workspace();
    const theirs = await fx.workspace();
    await recordSome(ctx, mine.workspaceId, 2, { tag: 'mine' });
    await recordSome(ctx, theirs.workspaceId, 3, { tag: 'theirs' });

    const reader = await fx.workspace(['messages:read', 'contacts:read']);
    const refused = await app.inject({ url: '/v1/audit', headers: { authorization: reader.authorization } });
    assert.equal(refused.statusCode, 403);
    // A key is told the scope it lacks, and the permission beside it.
    assert.equal(refused.json().error.code, 'AUTH_SCOPE_MISSING');
    assert.equal(refused.json().error.details.requiredScope, 'audit:read');
    assert.equal(refused.json().error.details.requiredPermission, 'audit.read');
    const auditor = await fx.workspace(['audit:read']);
    assert.equal((await app.inject({ url: '/v1/audit', headers: { authorization: auditor.authorization } })).statusCode, 200);
    assert.equal((await app.inject({ url: '/v1/audit/checkpoints', headers: { authorization: reader.authorization } })).statusCode, 403);
    assert.equal((await app.inject({ url: '/v1/audit' })).statusCode, 401);

    const list = (await app.inject({ url: '/v1/audit', headers: { authorization: mine.authorization } })).json();
    assert.deepEqual(list.data.map((e: { resource: { id: string } }) => e.resource.id), ['ct_mine1', 'ct_mine0']);
    const filtered = (await app.inject({ url: '/v1/audit', query: { resourceId: 'ct_theirs0' }, headers: { authorization: mine.authorization } })).json();
    assert.deepEqual(filtered.data, []);
  });

  it('exports signed checkpoints and sets the retention, recording the change', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { workspaceId, authorization } = await fx.workspace();
    await recordSome(ctx, workspaceId, 2);
    await writeDueCheckpoints(fx.db, checkpointKey(ctx.keyring), Date.now());
    await recordSome(ctx, workspaceId, 1, { tag: 'more' });
    await writeDueCheckpoints(fx.db, checkpointKey(ctx.keyring), Date.now());

    const first = (await app.inject({ url: '/v1/audit/checkpoints', query: { limit: '1' }, headers: { authorization } })).json();
    assert.deepEqual(first.data.map((c: { seq: number }) => c.seq), [2]);
    const second = (await app.inject({ url: '/v1/audit/checkpoints', query: { limit: '1', cursor: first.nextCursor }, headers: { authorization } })).json();
    assert.deepEqual(second.data.map((c: { seq: number }) => c.seq), [3]);
    assert.equal(second.nextCursor, null);
    const exported = [...first.data, ...second.data];
    assert.equal((await verify(ctx, workspaceId, exported)).ok, true, 'the API\'s items verify as exported checkpoints');

    assert.deepEqual((await app.inject({ url: '/v1/audit/retention', headers: { authorization } })).json(), { retentionDays: null });
    const set = await app.inject({ method: 'PUT', url: '/v1/audit/retention', headers: { authorization, 'user-agent': 'ops-script/2', 'x-request-id': 'req_retention' }, payload: { retentionDays: 400 } });
    assert.deepEqual(set.json(), { retentionDays: 400 });
    assert.equal((await app.inject({ method: 'PUT', url: '/v1/audit/retention', headers: { authorization }, payload: { retentionDays: 0 } })).statusCode, 400);
    const [entry] = (await app.inject({ url: '/v1/audit', query: { action: 'audit_retention.updated' }, headers: { authorization } })).json().data;
    assert.deepEqual(entry.diff, { retentionDays: { from: null, to: 400 } });
    assert.equal(entry.actor.type, 'api_key');
    assert.deepEqual([entry.origin.userAgent, entry.origin.requestId], ['ops-script/2', 'req_retention']);
    assert.ok(entry.origin.address);

    const reader = await fx.workspace(['contacts:read']);
    assert.equal((await app.inject({ method: 'PUT', url: '/v1/audit/retention', headers: { authorization: reader.authorization }, payload: { retentionDays: 5 } })).statusCode, 403);
  });
});

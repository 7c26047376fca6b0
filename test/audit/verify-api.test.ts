import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { exec, recordSome, sql } from './fixtures.js';
import { createApiKey } from '../../src/access/api-key-queries.js';

describeStorage('GET /v1/audit/verify', (fx) => {
  it('says an intact chain is ok, then names the first bad entry once one was edited in the database', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { workspaceId, authorization } = await fx.workspace();
    await recordSome(ctx, workspaceId, 5);

    const intact = await app.inject({ url: '/v1/audit/verify', headers: { authorization } });
    assert.equal(intact.statusCode, 200);
    const report = intact.json();
    assert.equal(report.ok, true);
    assert.equal(report.workspaceId, workspaceId);
    assert.equal(report.entries, 5);
    assert.equal(report.lastSeq, 5);
    assert.equal(report.problem, null);

    await exec(fx.db, sql`update audit_entries set action = 'contact.created' where workspace_id = ${workspaceId} and seq = 3`);
    const broken = (await app.inject({ url: '/v1/audit/verify', headers: { authorization } })).json();
    assert.equal(broken.ok, false);
    assert.equal(broken.problem.reason, 'edited');
    assert.equal(broken.problem.seq, 3);
    assert.match(broken.problem.message, /\S/);
  });

  it('needs audit.read and checks only the caller\'s workspace', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const mine = await fx.workspace();
    const theirs = await fx.workspace();
    await recordSome(ctx, mine.workspaceId, 2);
    await recordSome(ctx, theirs.workspaceId, 4);
    await exec(fx.db, sql`update audit_entries set action = 'contact.created' where workspace_id = ${theirs.workspaceId} and seq = 2`);

    const report = (await app.inject({ url: '/v1/audit/verify', headers: { authorization: mine.authorization } })).json();
    assert.deepEqual([report.ok, report.workspaceId, report.entries], [true, mine.workspaceId, 2]);
    const { key } = await createApiKey(fx.db, { workspaceId: mine.workspaceId, name: 'contacts', scopes: ['contacts:read'] });
    assert.equal((await app.inject({ url: '/v1/audit/verify', headers: { authorization: `Bearer ${key}` } })).statusCode, 403);
  });
});

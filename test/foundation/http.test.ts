import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';

describeStorage('HTTP foundation', (fx) => {
  it('answers health, readiness, metrics and the OpenAPI document', async () => {
    const app = await fx.app();
    assert.deepEqual((await app.inject('/healthz')).json(), { status: 'ok' });
    const ready = await app.inject('/readyz');
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().database, fx.dialect);
    const metrics = await app.inject('/metrics');
    assert.match(metrics.body, /process_cpu_seconds_total/);
    assert.match(metrics.body, /parley_http_request_duration_seconds/);
    const openapi = (await app.inject('/openapi.json')).json();
    assert.equal(openapi.openapi, '3.0.3');
    assert.ok(openapi.paths['/v1/api-keys'].post.requestBody, 'routes appear with their request schema');
    const docs = await app.inject('/docs/');
    assert.equal(docs.statusCode, 200);
    assert.match(docs.body, /swagger/i);
  });

  it('puts a request id on every response and keeps a sane incoming one', async () => {
    const app = await fx.app();
    const generated = await app.inject('/healthz');
    assert.match(String(generated.headers['x-request-id']), /^req_/);
    const echoed = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    assert.equal(echoed.headers['x-request-id'], 'abc-123');
    const unsafe = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id with spaces' } });
    assert.match(String(unsafe.headers['x-request-id']), /^req_/);
  });

  it('a missing key is 401 AUTH_KEY_MISSING and a wrong key is 401 AUTH_KEY_INVALID', async () => {
    const app = await fx.app();
    const missing = await app.inject('/v1/api-keys');
    assert.equal(missing.statusCode, 401);
    assert.equal(missing.json().error.code, 'AUTH_KEY_MISSING');
    const wrong = await app.inject({ url: '/v1/api-keys', headers: { authorization: 'Bearer prl_abcdefgh_' + 'x'.repeat(43) } });
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json().error.code, 'AUTH_KEY_INVALID');
    const garbage = await app.inject({ url: '/v1/api-keys', headers: { authorization: 'Bearer nope' } });
    assert.equal(garbage.statusCode, 401);
    assert.equal(garbage.json().error.code, 'AUTH_KEY_INVALID');
  });

  it('a key without the needed scope is 403 AUTH_SCOPE_MISSING naming the scope', async () => {
    const app = await fx.app();
    const { authorization } = await fx.workspace(['messages:write']);
    const res = await app.inject({ url: '/v1/api-keys', headers: { authorization } });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'AUTH_SCOPE_MISSING');
    assert.equal(res.json().error.details.requiredScope, 'keys:read');
  });

  it('a key cannot create a key with scopes it does not hold', async () => {
    const app = await fx.app();
    const { authorization } = await fx.workspace(['keys:write']);
    const res = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization }, payload: { name: 'x', scopes: ['admin'] } });
    assert.equal(res.statusCode, 403);
  });

  it('lists the scopes a key can be given with their permissions; each listed scope can be granted', async () => {
    const app = await fx.app();
    const { authorization } = await fx.workspace();
    const res = await app.inject({ url: '/v1/api-keys/scopes', headers: { authorization } });
    assert.equal(res.statusCode, 200, res.body);
    const scopes = res.json().data as Array<{ scope: string; permissions: string[] }>;
    assert.deepEqual(scopes.find((s) => s.scope === 'keys:read')?.permissions, ['keys.read', 'workspace.read']);
    for (const { scope } of scopes) {
      const created = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization }, payload: { name: scope, scopes: [scope] } });
      assert.equal(created.statusCode, 201, created.body);
    }
    const reader = await fx.workspace(['messages:read']);
    assert.equal((await app.inject({ url: '/v1/api-keys/scopes', headers: { authorization: reader.authorization } })).statusCode, 403);
  });

  it('malformed JSON is 400 REQUEST_MALFORMED_JSON', async () => {
    const app = await fx.app();
    const { authorization } = await fx.workspace();
    const res = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization, 'content-type': 'application/json' }, payload: '{"name": "x",' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'REQUEST_MALFORMED_JSON');
  });

  it('schema violations are 400 REQUEST_INVALID naming the field', async () => {
    const app = await fx.app();
    const { authorization } = await fx.workspace();
    const missing = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization }, payload: { scopes: ['admin'] } });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().error.code, 'REQUEST_INVALID');
    assert.equal(missing.json().error.field, '/name');
    const badEnum = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization }, payload: { name: 'x', scopes: ['root'] } });
    assert.equal(badEnum.json().error.field, '/scopes/0');
    assert.match(badEnum.json().error.message, /must be one of/);
    const extra = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization }, payload: { name: 'x', scopes: ['admin'], colour: 'red' } });
    assert.equal(extra.json().error.field, '/colour');
  });

  it('a body over the limit is 413 REQUEST_TOO_LARGE', async () => {
    const app = await fx.app(fx.context({ bodyLimit: 1024 }));
    const { authorization } = await fx.workspace();
    const res = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization }, payload: { name: 'x'.repeat(5000), scopes: ['admin'] } });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().error.code, 'REQUEST_TOO_LARGE');
  });

  it('an unknown route is 404 ROUTE_NOT_FOUND', async () => {
    const app = await fx.app();
    const res = await app.inject('/v1/nothing-here');
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'ROUTE_NOT_FOUND');
  });

  it('creates, lists and revokes keys; a revoked key stops working at once', async () => {
    const app = await fx.app();
    const { authorization } = await fx.workspace();
    const created = await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization }, payload: { name: 'ci', scopes: ['keys:read'] } });
    assert.equal(created.statusCode, 201);
    const { key, id, prefix } = created.json();
    assert.ok(key.startsWith(prefix + '_'));
    const asNew = { authorization: `Bearer ${key}` };
    assert.equal((await app.inject({ url: '/v1/api-keys', headers: asNew })).statusCode, 200);
    const listed = (await app.inject({ url: '/v1/api-keys', headers: { authorization } })).json().data;
    const entry = listed.find((k: { id: string }) => k.id === id);
    assert.ok(entry);
    assert.equal(entry.key, undefined, 'the secret is never listed');
    const revoked = await app.inject({ method: 'DELETE', url: `/v1/api-keys/${id}`, headers: { authorization } });
    assert.equal(revoked.statusCode, 204);
    const after = await app.inject({ url: '/v1/api-keys', headers: asNew });
    assert.equal(after.statusCode, 401);
    assert.match(after.json().error.message, /revoked/);
  });

  it('keeps workspaces apart: a key cannot revoke another workspace’s key', async () => {
    const app = await fx.app();
    const a = await fx.workspace();
    const b = await fx.workspace();
    const created = (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization: a.authorization }, payload: { name: 'a', scopes: ['keys:read'] } })).json();
    const res = await app.inject({ method: 'DELETE', url: `/v1/api-keys/${created.id}`, headers: { authorization: b.authorization } });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'API_KEY_NOT_FOUND');
  });

  it('stores only a hash of each key', async () => {
    const { key } = await fx.workspace();
    const rows = await fx.db.selectFrom('api_keys').selectAll().execute();
    for (const row of rows) {
      assert.ok(!JSON.stringify(row).includes(key.slice('prl_12345678_'.length)));
    }
  });
});

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { buildApp } from '../../src/http/app.js';
import { APP } from '../../src/main/modules.js';

// The running service compiles a route's schemas on its first request (src/http/lazy-compilers.ts).
// Here every route's validators and serializers are compiled up front, as Fastify does by default, so a
// schema that cannot compile fails this test rather than a user's first request to that route.
describeStorage('route schemas', (fx) => {
  it('every route schema compiles', async () => {
    const app = await buildApp(fx.context(), APP, { compileSchemasAtBoot: true });
    try {
      await app.ready();
      const routes = app.printRoutes({ commonPrefix: false });
      // The tree prints paths under `/` (the console's redirect) without their leading slash.
      assert.match(routes, /v1\/messages/);
    } finally {
      await app.close();
    }
  });

  it('compiled lazily, a route still validates and names the bad field', async () => {
    const app = await fx.app();
    const { authorization } = await fx.workspace();
    const res = await app.inject({ method: 'POST', url: '/v1/messages', headers: { authorization }, payload: { to: 12 } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'REQUEST_INVALID');
    assert.ok(res.json().error.field, 'names the field');
    const again = await app.inject({ method: 'POST', url: '/v1/messages', headers: { authorization }, payload: { to: 12 } });
    assert.equal(again.json().error.field, res.json().error.field, 'the same answer once compiled');
  });
});

import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { RouteOptions } from 'fastify';
import { describeStorage } from '../harness/storage.js';
import { buildApp } from '../../src/http/app.js';
import { APP } from '../../src/main/modules.js';
import type { RouteModule } from '../../src/http/types.js';
import type { RouteAudit } from '../../src/http/audit.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The reads that show personal data: each records who read it. */
const PERSONAL_READS: Record<string, string> = {
  'GET /v1/contacts': 'contact.read_pii',
  'GET /v1/contacts/:id': 'contact.read_pii',
  'GET /v1/contacts/:id/export': 'contact.exported',
  'GET /v1/contacts/:id/consent/history': 'contact.read_consent_proof',
  // Only a page asked with include=contact shows names (and records the read); without it, nothing.
  'GET /v1/conversations': 'contact.read_pii',
  'GET /v1/messages': 'message.read_content',
  'GET /v1/messages/:id': 'message.read_content',
  'GET /v1/media/:id/content': 'media.read_content',
  'GET /v1/users': 'user.read_pii',
  'GET /v1/users/:id': 'user.read_pii',
};

const actionOf = (audit: RouteAudit | undefined): string | undefined => (audit === undefined ? undefined : typeof audit === 'string' ? audit : 'action' in audit ? audit.action : undefined);

describeStorage('Audit declarations of the route table', (fx) => {
  it('every write under /v1 and /graph declares its audit action (or why it has none), and every personal-data read its own', async () => {
    const routes: RouteOptions[] = [];
    // Each module's routes are registered in their own scope: an onRoute hook in each sees them all.
    const collecting = APP.routes.map((register): RouteModule => async (app, ctx) => {
      app.addHook('onRoute', (route) => void routes.push(route));
      await register(app, ctx);
    });
    const app = await buildApp(fx.context(), { ...APP, routes: collecting });
    fx.onTearDown(() => app.close());
    await app.ready();

    const api = routes.filter((r) => r.url.startsWith('/v1/') || r.url.startsWith('/graph/'));
    const writes = api.filter((r) => [r.method].flat().some((m) => !READS.has(m)));
    assert.ok(writes.length > 50, `found ${writes.length} write routes`);
    const undeclared = writes.filter((r) => r.config?.audit === undefined).map((r) => `${String(r.method)} ${r.url}`);
    assert.deepEqual(undeclared, [], 'write routes without config.audit');

    // A route left unaudited says why, and only reads that change nothing are (lint, preview, resolve, a flow's check and simulation).
    const unaudited = writes.filter((r) => typeof r.config?.audit === 'object' && 'unaudited' in r.config.audit).map((r) => `${String(r.method)} ${r.url}`).sort();
    assert.deepEqual(unaudited, ['POST /v1/flows/:id/simulate', 'POST /v1/flows/:id/validate', 'POST /v1/flows/validate', 'POST /v1/intents/:name/resolve', 'POST /v1/templates/:id/preview', 'POST /v1/templates/lint']);

    // Sends record in the accept's own transaction.
    assert.equal(writes.filter((w) => w.url.startsWith('/graph/')).length, 2, 'both gateway routes');
    for (const r of writes.filter((w) => w.url.startsWith('/graph/') || (w.url.startsWith('/v1/messages') && !w.url.endsWith('/cancel')))) {
      assert.deepEqual(r.config?.audit, { action: 'message.accepted', inTransaction: true }, `${String(r.method)} ${r.url}`);
    }

    const gets = new Map(api.filter((r) => [r.method].flat().includes('GET')).map((r) => [`GET ${r.url}`, r]));
    for (const [route, action] of Object.entries(PERSONAL_READS)) {
      assert.ok(gets.has(route), `${route} exists`);
      assert.equal(actionOf(gets.get(route)!.config?.audit), action, route);
    }
  });

  it('refuses to boot when a write route declares no audit action, or a malformed one', async () => {
    const ctx = fx.context();
    const withRoute = (config: Record<string, unknown>): RouteModule => (app) => {
      app.post('/v1/unaudited-thing', { config: { permission: 'contacts.write', ...config } }, async () => ({}));
    };
    await assert.rejects(async () => (await buildApp(ctx, { ...APP, routes: [...APP.routes, withRoute({})] })).ready(), /must declare config\.audit/);
    await assert.rejects(async () => (await buildApp(ctx, { ...APP, routes: [...APP.routes, withRoute({ audit: 'Updated' })] })).ready(), /not of the form <resource>\.<verb>/);
    await assert.rejects(async () => (await buildApp(ctx, { ...APP, routes: [...APP.routes, withRoute({ audit: { unaudited: ' ' } })] })).ready(), /must say why/);
    const ok = await buildApp(ctx, { ...APP, routes: [...APP.routes, withRoute({ audit: 'thing.created' })] });
    await ok.ready();
    await ok.close();
  });
});

import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describeStorage } from '../harness/storage.js';
import { CONSOLE_BUILD_DIR, PACKAGE_ROOT } from '../../src/console/console-files.js';

describeStorage('Web console: served by the API process under /console/', (fx) => {
  // The console is built when console/ changed (a no-op otherwise), as `npm start` does.
  before(() => execFileSync(process.execPath, [path.join(PACKAGE_ROOT, 'scripts', 'build-if-stale.mjs'), '--console'], { stdio: 'inherit' }));

  it('answers the app page for /console/ and its client-side routes, not cached, with a strict content policy', async () => {
    const app = await fx.app();
    for (const url of ['/console/', '/console', '/console/inbox/cnv_01', '/console/.vite/manifest.json']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 200, url);
      assert.match(res.headers['content-type'] as string, /^text\/html/, url);
      assert.equal(res.headers['cache-control'], 'no-cache', url);
      assert.match(res.headers['content-security-policy'] as string, /default-src 'self'/);
      assert.match(res.body, /<div id="root"><\/div>/, url);
    }
  });

  it('serves hashed assets as immutable and answers a missing one with a 404, not the page', async () => {
    const app = await fx.app();
    const [script] = readdirSync(path.join(CONSOLE_BUILD_DIR, 'assets')).filter((f) => f.endsWith('.js'));
    const res = await app.inject({ url: `/console/assets/${script}` });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /javascript/);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    const missing = await app.inject({ url: '/console/assets/index-00000000.js' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'ROUTE_NOT_FOUND');
  });

  it('sends a browser at / to the console; API clients and unknown /v1 paths keep the JSON 404', async () => {
    const app = await fx.app();
    const browser = await app.inject({ url: '/', headers: { accept: 'text/html,application/xhtml+xml' } });
    assert.equal(browser.statusCode, 302);
    assert.equal(browser.headers.location, '/console/');
    const client = await app.inject({ url: '/', headers: { accept: 'application/json' } });
    assert.equal(client.statusCode, 404);
    assert.equal(client.json().error.code, 'ROUTE_NOT_FOUND');
    const unknown = await app.inject({ url: '/v1/no-such-thing', headers: { accept: 'text/html' } });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'ROUTE_NOT_FOUND');
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, spawnParley, waitForExit } from '../harness/cli.js';
import { startReceiver, waitFor } from './harness.js';

const INFO_KEYS = ['accessToken', 'appSecret', 'phoneNumberIds', 'ultramsgInstanceIds', 'ultramsgToken', 'url', 'wabaId'];

describe('parley emulator', () => {
  it('--json prints exactly the info object once listening, serves the Cloud API, posts signed webhooks, and exits 0 on SIGTERM', async () => {
    const receiver = await startReceiver();
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-emulator-cli-'));
    const config = path.join(dir, 'emulator.json');
    writeFileSync(config, JSON.stringify({ numbers: [{ phoneNumberId: '123456789012345', limits: { throughputMps: 20 } }], behaviour: { batchWindowMs: 5 } }));
    const { child, ready } = await spawnParley(['emulator', '--port', '0', '--json', '--app-secret', 'cli-secret', '--webhook-url', `${receiver.url}/cloud`, '--config', config]);
    try {
      assert.deepEqual(Object.keys(ready).sort(), INFO_KEYS);
      assert.equal(ready.appSecret, 'cli-secret');
      assert.deepEqual(ready.phoneNumberIds, ['123456789012345']);
      assert.match(ready.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const control = await fetch(`${ready.url}/_emulator/info`).then((r) => r.json());
      assert.deepEqual(control, ready);
      await fetch(`${ready.url}/_emulator/customers/16505551234/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'text', text: { body: 'hi' } }) });
      const post = await waitFor(() => receiver.posts[0], 'a webhook from the CLI emulator');
      assert.match(String(post.headers['x-hub-signature-256']), /^sha256=[0-9a-f]{64}$/);
    } finally {
      child.kill('SIGTERM');
      await receiver.close();
    }
    assert.equal(await waitForExit(child), 0);
  });

  it('refuses a bad config file with a message naming the field', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-emulator-cli-'));
    const config = path.join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ numbers: [{ phoneNumberId: '123456789012345', limits: { throughputMps: 5000 } }], surprise: true }));
    const result = await runCli(['emulator', '--port', '0', '--config', config]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /numbers\.0\.limits\.throughputMps/);
    assert.match(result.stderr, /1000/);
    const notJson = path.join(dir, 'broken.json');
    writeFileSync(notJson, '{ nope');
    const broken = await runCli(['emulator', '--port', '0', '--config', notJson]);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /not valid JSON/);
  });

  it('has --help', async () => {
    const result = await runCli(['emulator', '--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /--webhook-url/);
  });
});

describe('parley start with the emulator', () => {
  it('--json nests the emulator info under "emulator", and the emulator posts webhooks to Parley\'s own URL', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-start-emulator-'));
    const env = { PARLEY_DATA_DIR: dataDir, DATABASE_URL: `sqlite:${dataDir}/parley.db`, PARLEY_PORT: '0', PARLEY_EMULATOR_PORT: '0', PARLEY_EMULATOR: 'on', PARLEY_MASTER_KEY: undefined };
    const { child, ready } = await spawnParley(['start', '--json'], env);
    try {
      assert.deepEqual(Object.keys(ready.emulator).sort(), INFO_KEYS);
      assert.notEqual(ready.emulator.url, ready.url);
      const settings = await fetch(`${ready.emulator.url}/${ready.emulator.ultramsgInstanceIds[0]}/instance/settings?token=${ready.emulator.ultramsgToken}`).then((r) => r.json() as any);
      // The URL carries the UltraMsg sender's webhook secret (UltraMsg does not sign its webhooks).
      assert.match(settings.webhook_url, new RegExp(`^${ready.url}/webhooks/whatsapp/ultramsg\\?secret=[A-Za-z0-9_-]{20,}$`));
      const send = await fetch(`${ready.emulator.url}/v21.0/${ready.emulator.phoneNumberIds[0]}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ready.emulator.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', to: '16505551234', type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } }),
      });
      assert.equal(send.status, 200);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await waitForExit(child), 0);

    const off = await spawnParley(['start', '--json'], { ...env, PARLEY_EMULATOR: 'off' });
    try {
      assert.equal(off.ready.emulator, null);
    } finally {
      off.child.kill('SIGTERM');
    }
    assert.equal(await waitForExit(off.child), 0);
  });
});

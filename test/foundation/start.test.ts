import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, spawnParley, waitForExit } from '../harness/cli.js';

describe('parley start', () => {
  it('starts on an empty data directory, prints the URL and an admin key once, and shuts down cleanly', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-start-'));
    const env = { PARLEY_DATA_DIR: dataDir, DATABASE_URL: `sqlite:${dataDir}/parley.db`, PARLEY_PORT: '0', PARLEY_EMULATOR_PORT: '0', PARLEY_MASTER_KEY: undefined };
    const first = await spawnParley(['start', '--json'], env);
    try {
      assert.match(first.ready.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(first.ready.adminApiKey, /^prl_/);
      assert.equal(typeof first.ready.readyAfterMs, 'number');
      assert.ok(existsSync(path.join(dataDir, 'master.key')), 'a master key was generated into the data directory');
      const ready = await fetch(`${first.ready.url}/readyz`);
      assert.equal(ready.status, 200);
      const me = await fetch(`${first.ready.url}/v1/workspace`, { headers: { authorization: `Bearer ${first.ready.adminApiKey}` } });
      assert.equal(me.status, 200);
      assert.equal(((await me.json()) as { name: string }).name, 'Demo');
      // The demo admin signs in to the console with the password printed beside the key.
      const { email, password } = first.ready.demoAdmin as { email: string; password: string };
      const signIn = await fetch(`${first.ready.url}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
      assert.equal(signIn.status, 200);
      assert.equal(((await signIn.json()) as { user: { role: string } }).user.role, 'admin');
    } finally {
      first.child.kill('SIGTERM');
    }
    const code = await waitForExit(first.child);
    assert.equal(code, 0, `SIGTERM is a graceful exit (signal ${first.child.signalCode}); stderr:\n${first.stderr()}`);

    const second = await spawnParley(['start', '--json'], env);
    try {
      assert.equal(second.ready.adminApiKey, null, 'the admin key is printed only on the first start');
      assert.equal(second.ready.demoAdmin, null, 'so is the demo admin\'s password');
    } finally {
      second.child.kill('SIGINT');
    }
    assert.equal(await waitForExit(second.child), 0);
  });

  it('`serve` on PostgreSQL refuses to start without a master key', async () => {
    const result = await runCli(['serve'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', PARLEY_MASTER_KEY: undefined });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /PARLEY_MASTER_KEY is not set/);
  });

  it('every command has --help', async () => {
    for (const command of [[], ['start'], ['serve'], ['worker'], ['migrate'], ['keys'], ['keys', 'create'], ['keys', 'list'], ['keys', 'revoke'], ['keys', 'rotate-data-key'], ['workspaces', 'create'], ['workspaces', 'list']]) {
      const result = await runCli([...command, '--help']);
      assert.equal(result.code, 0, `${command.join(' ')} --help`);
      assert.match(result.stdout, /Usage: parley/);
    }
  });

  it('keys and workspaces commands work against the configured database', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-cli-'));
    const env = { PARLEY_DATA_DIR: dataDir, DATABASE_URL: `sqlite:${dataDir}/parley.db` };
    const ws = JSON.parse((await runCli(['workspaces', 'create', 'Acme', '--json'], env)).stdout);
    assert.match(ws.id, /^ws_/);
    const key = await runCli(['keys', 'create', '--scopes', 'messages:write,messages:read', '--json'], env);
    assert.equal(key.code, 0, key.stderr);
    const created = JSON.parse(key.stdout);
    assert.deepEqual(created.scopes, ['messages:write', 'messages:read']);
    const bad = await runCli(['keys', 'create', '--scopes', 'everything'], env);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /unknown scope/);
    const revoked = await runCli(['keys', 'revoke', created.id], env);
    assert.equal(revoked.code, 0);
    const listed = JSON.parse((await runCli(['keys', 'list', '--json'], env)).stdout);
    assert.ok(listed[0].revokedAt > 0);
  });
});

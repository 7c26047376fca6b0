import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { runCli } from '../harness/cli.js';
import { verify } from './fixtures.js';

describeStorage('Changes made with the parley command', (fx) => {
  it('keys create and revoke and users create each record one entry by the CLI, without the email', async () => {
    const { workspaceId } = await fx.workspace();
    const env = { DATABASE_URL: fx.url, PARLEY_MASTER_KEY: fx.masterKey.toString('base64'), PARLEY_LOG_LEVEL: 'silent' };
    const entries = () => fx.db.selectFrom('audit_entries').selectAll().where('workspace_id', '=', workspaceId).orderBy('seq').execute();

    const created = await runCli(['keys', 'create', '--scopes', 'messages:read', '--name', 'reports', '--workspace', workspaceId, '--json'], env);
    assert.equal(created.code, 0, created.stderr);
    const keyId = (JSON.parse(created.stdout) as { id: string }).id;
    assert.equal((await runCli(['keys', 'revoke', keyId], env)).code, 0);
    assert.equal((await runCli(['keys', 'revoke', keyId], env)).code, 0, 'revoking again succeeds and records nothing');
    const user = await runCli(['users', 'create', '--email', 'cli.person@example.org', '--role', 'analyst', '--name', 'Cli Person', '--workspace', workspaceId, '--json'], env);
    assert.equal(user.code, 0, user.stderr);
    const userId = (JSON.parse(user.stdout) as { id: string }).id;

    const rows = await entries();
    assert.deepEqual(rows.map((r) => [r.action, r.resource_type, r.resource_id, r.actor_type, r.actor_id]), [
      ['api_key.created', 'api_key', keyId, 'system', 'cli'],
      ['api_key.revoked', 'api_key', keyId, 'system', 'cli'],
      ['user.created', 'user', userId, 'system', 'cli'],
    ]);
    const text = JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    assert.ok(!text.includes('cli.person@example.org') && !text.includes('Cli Person'), text);
    assert.equal((await verify(fx.context(), workspaceId)).ok, true);
  });
});

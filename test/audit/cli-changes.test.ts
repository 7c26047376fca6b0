import { it } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { runCli } from '../harness/cli.js';
import { verify } from './fixtures.js';
import { bootstrapIfEmpty, DEMO_ADMIN_EMAIL } from '../../src/main/bootstrap.js';

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

  const cliEnv = () => ({ DATABASE_URL: fx.url, PARLEY_MASTER_KEY: fx.masterKey.toString('base64'), PARLEY_LOG_LEVEL: 'silent' });
  const entriesOf = (workspaceId: string) => fx.db.selectFrom('audit_entries').selectAll().where('workspace_id', '=', workspaceId).orderBy('seq').execute();
  const asText = (rows: unknown) => JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));

  it('workspaces create records one entry in the new workspace by the CLI', async () => {
    const created = await runCli(['workspaces', 'create', 'Cli Shop', '--json'], cliEnv());
    assert.equal(created.code, 0, created.stderr);
    const workspaceId = (JSON.parse(created.stdout) as { id: string }).id;
    const rows = await entriesOf(workspaceId);
    assert.deepEqual(rows.map((r) => [r.action, r.resource_type, r.resource_id, r.actor_type, r.actor_id]), [['workspace.created', 'workspace', workspaceId, 'system', 'cli']]);
    assert.equal((await verify(fx.context(), workspaceId)).ok, true);
  });

  it('senders add records one entry by the CLI, without the access token', async () => {
    const { workspaceId } = await fx.workspace();
    const before = (await entriesOf(workspaceId)).length;
    const added = await runCli(['senders', 'add', '--workspace', workspaceId, '--name', 'cli sender', '--provider', 'cloud', '--phone-number-id', '771234567', '--waba-id', '88123', '--access-token', 'secret-cli-token-42', '--json'], cliEnv());
    assert.equal(added.code, 0, added.stderr);
    const senderId = (JSON.parse(added.stdout) as { id: string }).id;
    const rows = (await entriesOf(workspaceId)).slice(before);
    assert.deepEqual(rows.map((r) => [r.action, r.resource_type, r.resource_id, r.actor_type, r.actor_id]), [['sender.created', 'sender', senderId, 'system', 'cli']]);
    assert.ok(!asText(rows).includes('secret-cli-token-42'), asText(rows));
    assert.equal((await verify(fx.context(), workspaceId)).ok, true);
  });

  it('keys rotate-data-key records one entry naming the new data key by the CLI', async () => {
    const { workspaceId } = await fx.workspace();
    const before = (await entriesOf(workspaceId)).length;
    const rotated = await runCli(['keys', 'rotate-data-key', '--workspace', workspaceId], cliEnv());
    assert.equal(rotated.code, 0, rotated.stderr);
    const keyId = /New data key (\S+) is active/.exec(rotated.stdout)?.[1];
    assert.ok(keyId, rotated.stdout);
    const rows = (await entriesOf(workspaceId)).slice(before);
    assert.deepEqual(rows.map((r) => [r.action, r.resource_type, r.resource_id, r.actor_type, r.actor_id]), [['data_key.rotated', 'data_key', keyId, 'system', 'cli']]);
    assert.equal((await verify(fx.context(), workspaceId)).ok, true);
  });

  it('contacts import records one entry with the counts by the CLI, never the rows', async () => {
    const { workspaceId } = await fx.workspace();
    const before = (await entriesOf(workspaceId)).length;
    const dir = mkdtempSync(path.join(tmpdir(), 'cli-import-'));
    try {
      const file = path.join(dir, 'contacts.csv');
      writeFileSync(file, 'phone,name,email\n+5511987654321,Ana Importada,ana.importada@example.org\n+5511912345678,Bruno Importado,bruno.importado@example.org\nnot-a-phone,Carla Falha,carla@example.org\n');
      const imported = await runCli(['contacts', 'import', file, '--workspace', workspaceId, '--json'], cliEnv());
      assert.equal(imported.code, 2, imported.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const rows = (await entriesOf(workspaceId)).slice(before);
    assert.deepEqual(rows.map((r) => [r.action, r.resource_type, r.resource_id, r.actor_type, r.actor_id]), [['contact.imported', 'contact', null, 'system', 'cli']]);
    const text = asText(rows);
    for (const personal of ['5511987654321', '987654321', 'Ana Importada', 'ana.importada@example.org', 'Bruno Importado', 'Carla Falha', 'not-a-phone']) assert.ok(!text.includes(personal), text);
    const diff = typeof rows[0].diff === 'string' ? (JSON.parse(rows[0].diff) as unknown) : rows[0].diff;
    assert.deepEqual(diff, { imported: { to: { total: 3, created: 2, updated: 0, failed: 1, consentRecords: 0 } } });
    assert.equal((await verify(fx.context(), workspaceId)).ok, true);
  });
});

describeStorage('The first start', (fx) => {
  it('records the demo workspace, its admin key and its admin as system, without the email, key or password', async () => {
    const ctx = fx.context();
    const result = await bootstrapIfEmpty(ctx);
    assert.ok(result);
    const rows = await fx.db.selectFrom('audit_entries').selectAll().where('workspace_id', '=', result.workspaceId).orderBy('seq').execute();
    assert.deepEqual(rows.map((r) => [r.action, r.resource_type, r.actor_type, r.actor_id]), [
      ['workspace.created', 'workspace', 'system', 'bootstrap'],
      ['api_key.created', 'api_key', 'system', 'bootstrap'],
      ['user.created', 'user', 'system', 'bootstrap'],
    ]);
    const text = JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    for (const secret of [DEMO_ADMIN_EMAIL, 'Demo admin', result.adminApiKey, result.admin.password]) assert.ok(!text.includes(secret), text);
    assert.equal(await bootstrapIfEmpty(ctx), undefined, 'a later start creates and records nothing');
    assert.equal((await fx.db.selectFrom('audit_entries').select('id').execute()).length, 3);
    assert.equal((await verify(ctx, result.workspaceId)).ok, true);
  });
});

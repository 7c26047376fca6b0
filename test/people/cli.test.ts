import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { runCli } from '../harness/cli.js';

describeStorage('parley users create', (fx) => {
  it('creates an admin with a generated password that signs in, or prints an invitation link with --invite', async () => {
    const { workspaceId } = await fx.workspace();
    const env = { DATABASE_URL: fx.url, PARLEY_MASTER_KEY: fx.masterKey.toString('base64'), PARLEY_PUBLIC_URL: 'https://parley.example.com', PARLEY_LOG_LEVEL: 'silent' };
    const created = await runCli(['users', 'create', '--email', 'First@Example.com', '--role', 'admin', '--name', 'First', '--workspace', workspaceId, '--json'], env);
    assert.equal(created.code, 0, created.stderr);
    const out = JSON.parse(created.stdout) as { id: string; email: string; role: string; status: string; password: string };
    assert.equal(out.email, 'first@example.com');
    assert.equal(out.status, 'active');
    const app = await fx.app();
    const signIn = await app.inject({ method: 'POST', url: '/v1/session', payload: { email: 'first@example.com', password: out.password } });
    assert.equal(signIn.statusCode, 200, signIn.body);
    assert.equal(signIn.json().user.role, 'admin');

    const invited = await runCli(['users', 'create', '--email', 'second@example.com', '--role', 'agent', '--workspace', workspaceId, '--invite'], env);
    assert.equal(invited.code, 0, invited.stderr);
    const url = /Invitation link \(works once, until [^)]+\): (\S+)/.exec(invited.stdout)?.[1];
    assert.match(url ?? '', /^https:\/\/parley\.example\.com\/console\/invitation#token=/);
    const accept = await app.inject({ method: 'POST', url: '/v1/invitations/accept', payload: { token: new URL(url!).hash.slice('#token='.length), name: 'Second', password: 'a long enough passphrase' } });
    assert.equal(accept.statusCode, 200, accept.body);

    const badRole = await runCli(['users', 'create', '--email', 'x@example.com', '--role', 'owner', '--workspace', workspaceId], env);
    assert.notEqual(badRole.code, 0);
    assert.match(badRole.stderr, /unknown role owner/);
  });
});

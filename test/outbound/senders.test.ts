import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { runCli } from '../harness/cli.js';

describeStorage('sender numbers', (fx) => {
  it('adds Cloud API and UltraMsg senders; credentials are stored encrypted and never returned', async () => {
    const app = await fx.app();
    const { authorization } = await fx.workspace();
    const cloud = await app.inject({
      method: 'POST',
      url: '/v1/senders',
      headers: { authorization },
      payload: { name: 'Support', provider: 'cloud', phoneNumberId: '106540352242922', wabaId: '102290129340398', accessToken: 'EAAG-secret-token-123', baseUrl: 'http://127.0.0.1:8081', mps: 1000, messagingLimit: 2000 },
    });
    assert.equal(cloud.statusCode, 201, cloud.body);
    const body = cloud.json();
    assert.equal(body.graphVersion, 'v23.0');
    assert.equal(body.portfolioId, '102290129340398', 'the portfolio defaults to the WABA');
    assert.equal(body.hasCredentials, true);
    assert.ok(!cloud.body.includes('EAAG-secret-token-123'));
    const listed = await app.inject({ url: '/v1/senders', headers: { authorization } });
    assert.ok(!listed.body.includes('EAAG-secret'));
    const row = await fx.db.selectFrom('senders').select('credentials').where('id', '=', body.id).executeTakeFirstOrThrow();
    assert.ok(!row.credentials.includes('EAAG-secret'));

    const ultramsg = await app.inject({ method: 'POST', url: '/v1/senders', headers: { authorization }, payload: { name: 'Legacy', provider: 'ultramsg', instanceId: 'instance1150', token: 'tok' } });
    assert.equal(ultramsg.statusCode, 201);
    assert.equal(ultramsg.json().baseUrl, 'https://api.ultramsg.com');
    assert.equal(ultramsg.json().mps, 1);
  });

  it('says which field a provider needs when it is missing', async () => {
    const app = await fx.app();
    const { authorization } = await fx.workspace();
    const res = await app.inject({ method: 'POST', url: '/v1/senders', headers: { authorization }, payload: { name: 'x', provider: 'cloud', phoneNumberId: '1', accessToken: 't' } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'SENDER_INVALID');
    assert.equal(res.json().error.field, '/wabaId');
    const tooFast = await app.inject({ method: 'POST', url: '/v1/senders', headers: { authorization }, payload: { name: 'x', provider: 'cloud', phoneNumberId: '1', wabaId: '2', accessToken: 't', mps: 5000 } });
    assert.equal(tooFast.statusCode, 400);
    assert.equal(tooFast.json().error.field, '/mps');
  });

  it('updates throughput and disables a sender; other workspaces cannot see it', async () => {
    const app = await fx.app();
    const a = await fx.workspace();
    const b = await fx.workspace();
    const created = (await app.inject({ method: 'POST', url: '/v1/senders', headers: { authorization: a.authorization }, payload: { name: 'x', provider: 'cloud', phoneNumberId: 'p1', wabaId: 'w1', accessToken: 't' } })).json();
    const patched = await app.inject({ method: 'PATCH', url: `/v1/senders/${created.id}`, headers: { authorization: a.authorization }, payload: { mps: 250, status: 'disabled' } });
    assert.equal(patched.json().mps, 250);
    assert.equal(patched.json().status, 'disabled');
    assert.equal(created.health.state, 'ok');
    assert.equal(patched.json().health.state, 'paused', 'a disabled sender reports its health as paused');
    const foreign = await app.inject({ url: `/v1/senders/${created.id}`, headers: { authorization: b.authorization } });
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.json().error.code, 'SENDER_NOT_FOUND');
  });
});

describeStorage('senders CLI', (fx) => {
  it('`parley senders add` and `list` work and never print the token', async () => {
    const env = { DATABASE_URL: fx.url, PARLEY_MASTER_KEY: fx.masterKey.toString('base64') };
    const { workspaceId } = await fx.workspace();
    const added = await runCli(['senders', 'add', '--workspace', workspaceId, '--name', 'cli', '--provider', 'cloud', '--phone-number-id', '999', '--waba-id', '888', '--access-token', 'super-secret-value', '--json'], env);
    assert.equal(added.code, 0, added.stderr);
    assert.ok(!added.stdout.includes('super-secret-value'));
    const list = await runCli(['senders', 'list', '--workspace', workspaceId], env);
    assert.match(list.stdout, /999/);
    assert.ok(!list.stdout.includes('super-secret-value'));
  });
});

import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import type { ParleyApp } from '../../src/http/types.js';

describeStorage('event subscriptions API', (fx) => {
  let app: ParleyApp;
  let writer: { workspaceId: string; authorization: string };
  let reader: { authorization: string };

  const create = (payload: Record<string, unknown>, authorization = writer.authorization) => app.inject({ method: 'POST', url: '/v1/event-subscriptions', headers: { authorization }, payload });

  before(async () => {
    app = await fx.app();
    writer = await fx.workspace(['webhooks:write', 'webhooks:read']);
    reader = await fx.workspace(['webhooks:read']);
  });

  it('creates a subscription and shows a generated secret once, never again', async () => {
    const res = await create({ url: 'https://crm.example.com/parley', eventTypes: ['message.status', 'message.inbound'], description: 'CRM' });
    assert.equal(res.statusCode, 201, res.body);
    const created = res.json();
    assert.match(created.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(created.eventTypes, ['message.status', 'message.inbound']);
    assert.equal(created.enabled, true);
    const listed = (await app.inject({ url: '/v1/event-subscriptions', headers: { authorization: writer.authorization } })).json().data;
    assert.equal(listed.length, 1);
    assert.equal(listed[0].secret, undefined);
    const one = (await app.inject({ url: `/v1/event-subscriptions/${created.id}`, headers: { authorization: writer.authorization } })).json();
    assert.equal(one.secret, undefined);
    const row = await fx.db.selectFrom('event_subscriptions').select('secret').where('id', '=', created.id).executeTakeFirstOrThrow();
    assert.ok(!row.secret.includes(created.secret), 'stored encrypted');
  });

  it('a supplied secret is used and not echoed back', async () => {
    const res = await create({ url: 'https://erp.example.com/hook', eventTypes: ['message.status'], secret: 'my-own-secret-of-32-characters!!' });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().secret, undefined);
  });

  it('refuses unknown event types, non-http URLs and private or loopback targets', async () => {
    const unknown = await create({ url: 'https://x.example.com', eventTypes: ['message.teleported'] });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().error.code, 'EVENT_TYPE_UNKNOWN');
    const known = unknown.json().error.details.known as string[];
    assert.deepEqual(known.slice(0, 4), ['message.status', 'message.inbound', 'template.alert', 'sender.health']);
    assert.ok(known.includes('conversation.assigned') && known.includes('conversation.*'), 'the conversation events, by name and as a family');
    const ftp = await create({ url: 'ftp://x.example.com/', eventTypes: ['message.status'] });
    assert.equal(ftp.json().error.code, 'EVENT_TARGET_INVALID');
    for (const url of ['http://localhost:3000/hook', 'http://127.0.0.1/hook', 'http://10.0.0.5/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/x', 'http://192.168.1.10/x']) {
      const res = await create({ url, eventTypes: ['message.status'] });
      assert.equal(res.statusCode, 400, url);
      assert.equal(res.json().error.code, 'EVENT_TARGET_FORBIDDEN', url);
      assert.match(res.json().error.hint, /PARLEY_EVENTS_ALLOW_PRIVATE_TARGETS/);
    }
  });

  it('refuses, on create and on update, hosts the WHATWG parser reads as loopback or as missing', async () => {
    const { id } = (await create({ url: 'https://ok.example.com/hook', eventTypes: ['message.status'] })).json();
    const cases: Array<[string, string]> = [
      ['http://LOCALHOST./', 'EVENT_TARGET_FORBIDDEN'],
      ['http://[::127.0.0.1]/', 'EVENT_TARGET_FORBIDDEN'],
      ['http://[::ffff:7f00:1]/', 'EVENT_TARGET_FORBIDDEN'],
      ['http://0x7f.0.0.1/', 'EVENT_TARGET_FORBIDDEN'],
      ['http:///x', 'EVENT_TARGET_INVALID'],
    ];
    for (const [url, code] of cases) {
      const created = await create({ url, eventTypes: ['message.status'] });
      assert.equal(created.statusCode, 400, url);
      assert.equal(created.json().error.code, code, url);
      const updated = await app.inject({ method: 'PATCH', url: `/v1/event-subscriptions/${id}`, headers: { authorization: writer.authorization }, payload: { url } });
      assert.equal(updated.statusCode, 400, url);
      assert.equal(updated.json().error.code, code, url);
    }
    const kept = (await app.inject({ url: `/v1/event-subscriptions/${id}`, headers: { authorization: writer.authorization } })).json();
    assert.equal(kept.url, 'https://ok.example.com/hook', 'refused updates change nothing');
  });

  it('private targets are accepted when the operator allows them', async () => {
    const allowing = await fx.app(fx.context({ eventsAllowPrivateTargets: true }));
    const res = await allowing.inject({ method: 'POST', url: '/v1/event-subscriptions', headers: { authorization: writer.authorization }, payload: { url: 'http://127.0.0.1:9999/hook', eventTypes: ['message.status'] } });
    assert.equal(res.statusCode, 201);
  });

  it('updates, rotates the secret, disables and deletes; webhooks:read cannot write', async () => {
    const { id } = (await create({ url: 'https://a.example.com/1', eventTypes: ['message.status'] })).json();
    const patched = await app.inject({ method: 'PATCH', url: `/v1/event-subscriptions/${id}`, headers: { authorization: writer.authorization }, payload: { url: 'https://a.example.com/2', enabled: false, rotateSecret: true } });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().url, 'https://a.example.com/2');
    assert.equal(patched.json().enabled, false);
    assert.match(patched.json().secret, /^whsec_/);
    const privateUrl = await app.inject({ method: 'PATCH', url: `/v1/event-subscriptions/${id}`, headers: { authorization: writer.authorization }, payload: { url: 'http://10.1.1.1/' } });
    assert.equal(privateUrl.json().error.code, 'EVENT_TARGET_FORBIDDEN');
    const denied = await create({ url: 'https://b.example.com', eventTypes: ['message.status'] }, reader.authorization);
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().error.details.requiredScope, 'webhooks:write');
    assert.equal((await app.inject({ method: 'DELETE', url: `/v1/event-subscriptions/${id}`, headers: { authorization: writer.authorization } })).statusCode, 204);
    const gone = await app.inject({ url: `/v1/event-subscriptions/${id}`, headers: { authorization: writer.authorization } });
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().error.code, 'EVENT_SUBSCRIPTION_NOT_FOUND');
  });

  it('keeps workspaces apart', async () => {
    const { id } = (await create({ url: 'https://c.example.com', eventTypes: ['message.status'] })).json();
    const other = await fx.workspace(['webhooks:write', 'webhooks:read']);
    assert.equal((await app.inject({ url: `/v1/event-subscriptions/${id}`, headers: { authorization: other.authorization } })).statusCode, 404);
    assert.equal((await app.inject({ method: 'DELETE', url: `/v1/event-subscriptions/${id}`, headers: { authorization: other.authorization } })).statusCode, 404);
    assert.deepEqual((await app.inject({ url: '/v1/event-subscriptions', headers: { authorization: other.authorization } })).json().data, []);
  });

  it('lists the event types and families a subscription can list; each is accepted', async () => {
    const res = await app.inject({ url: '/v1/event-types', headers: { authorization: reader.authorization } });
    assert.equal(res.statusCode, 200, res.body);
    const { data, families } = res.json() as { data: string[]; families: string[] };
    assert.ok(data.includes('message.status') && families.includes('conversation.*'));
    const created = await create({ url: 'https://crm.example.com/all', eventTypes: [...data, ...families] });
    assert.equal(created.statusCode, 201, created.body);
  });
});

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { pipeline } from '../outbound/helpers.js';
import { makeUser, signIn } from '../people/helpers.js';
import { verify } from './fixtures.js';
import { senderNumberId } from '../../src/channels/sender-identity.js';
import type { Db } from '../../src/db/database.js';

/** Personal values used by the scenarios: none may appear in any stored audit entry. */
const PHONE = '+15550007301';
const NAME = 'Zelda Quuxworth';
const EMAIL = 'zelda.quuxworth@example.org';
const TEXT = 'The parcel code is 8c1f-7e2a';
const NEW_NAME = 'Zelda Q. Renamed';
const USER_EMAIL = 'yorick.audited@example.org';
const PERSONAL = [PHONE, PHONE.slice(1), NAME, EMAIL, TEXT, NEW_NAME, USER_EMAIL];

type Row = Record<string, unknown>;
const rowsOf = async (db: Db, workspaceId: string): Promise<Row[]> => db.selectFrom('audit_entries').selectAll().where('workspace_id', '=', workspaceId).orderBy('seq').execute();

function assertNoPersonalValue(rows: readonly Row[]): void {
  for (const row of rows) {
    const text = JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    for (const value of PERSONAL) assert.ok(!text.includes(value), `entry ${String(row.action)} holds ${value}: ${text}`);
  }
}

interface Answer {
  statusCode: number;
  body: string;
  json(): any;
}

interface Scenario {
  name: string;
  run(): Promise<Answer>;
  status: number;
  /** The entries expected, in order: action, resource type and id (a function of the answer), actor. */
  entries: Array<{ action: string; type: string; id: string | null | ((body: any) => string | null); actor?: { type: string; id: string } }>;
  /** Extra checks of the new entries' diffs. */
  diff?(diffs: Array<Record<string, unknown> | null>): void;
}

describeStorage('Every change and every read of personal data leaves exactly one audit entry', (fx) => {
  it('through the API, with the right action, actor and resource, and no personal value in the trail', async (t) => {
    const p = await pipeline(fx, t, { config: { eventsAllowPrivateTargets: true } });
    const { app, ctx, workspaceId, authorization } = p;
    const keyId = (await ctx.authenticator.authenticate(authorization)).keyId;
    const asKey = { type: 'api_key', id: keyId };
    const call = (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
      app.inject({ method: method as 'GET', url, headers: { authorization, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
    await p.openWindow(PHONE);
    const state: Record<string, string> = {};
    const admin = await makeUser(ctx, workspaceId, 'admin');
    const inFuture = new Date(Date.now() + 3_600_000).toISOString();

    const scenarios: Scenario[] = [
      { name: 'create a contact', status: 201, run: async () => call('POST', '/v1/contacts', { phone: '+15550007302', name: NAME, email: EMAIL }), entries: [{ action: 'contact.created', type: 'contact', id: (b) => (state.created = b.id) }],
        diff: ([d]) => assert.deepEqual(d!.name, { ref: `contact:${state.created}.name` }) },
      { name: 'read a contact', status: 200, run: async () => {
        state.contact = (await call('GET', `/v1/contacts?phone=${encodeURIComponent(PHONE)}`)).json().data[0].id;
        return call('GET', `/v1/contacts/${state.contact}`);
      }, entries: [{ action: 'contact.read_pii', type: 'contact', id: null }, { action: 'contact.read_pii', type: 'contact', id: () => state.contact }] },
      { name: 'list contacts', status: 200, run: async () => call('GET', '/v1/contacts'), entries: [{ action: 'contact.read_pii', type: 'contact', id: null }],
        diff: ([d]) => assert.equal((d!.shown as { to: { count: number } }).to.count, 2) },
      { name: 'update a contact', status: 200, run: async () => call('PATCH', `/v1/contacts/${state.contact}`, { name: NEW_NAME, tags: ['vip'] }), entries: [{ action: 'contact.updated', type: 'contact', id: () => state.contact }],
        diff: ([d]) => assert.deepEqual(d, { name: { ref: `contact:${state.contact}.name` }, tags: { ref: `contact:${state.contact}.tags` } }) },
      { name: 'record consent', status: 201, run: async () => call('POST', `/v1/contacts/${state.contact}/consent`, { purpose: 'marketing', channel: 'whatsapp', status: 'granted', wording: `Offers for ${NAME}`, idempotencyKey: 'consent-1' }),
        entries: [{ action: 'consent.recorded', type: 'consent_record', id: (b) => b.record.id }] },
      { name: 'read the consent history with its proof', status: 200, run: async () => call('GET', `/v1/contacts/${state.contact}/consent/history`), entries: [{ action: 'contact.read_consent_proof', type: 'contact', id: () => state.contact }] },
      { name: 'record the same consent again (idempotent)', status: 200, run: async () => call('POST', `/v1/contacts/${state.contact}/consent`, { purpose: 'marketing', channel: 'whatsapp', status: 'granted', wording: `Offers for ${NAME}`, idempotencyKey: 'consent-1' }), entries: [] },
      { name: 'send a message', status: 202, run: async () => call('POST', '/v1/messages', { to: PHONE, type: 'text', text: { body: TEXT } }, { 'idempotency-key': 'send-1' }),
        entries: [{ action: 'message.accepted', type: 'message', id: (b) => (state.message = b.id) }],
        diff: ([d]) => assert.deepEqual(d!.content, { ref: `message:${state.message}.content` }) },
      { name: 'replay the send (same Idempotency-Key)', status: 202, run: async () => call('POST', '/v1/messages', { to: PHONE, type: 'text', text: { body: TEXT } }, { 'idempotency-key': 'send-1' }), entries: [] },
      { name: 'a refused send (no window for this number)', status: 422, run: async () => call('POST', '/v1/messages', { to: '+15550007399', type: 'text', text: { body: TEXT } }), entries: [] },
      { name: 'send a batch', status: 200, run: async () => call('POST', '/v1/messages:batch', { messages: [{ to: PHONE, type: 'text', text: { body: TEXT } }, { to: PHONE, type: 'text', text: { body: `${TEXT} (2)` } }] }),
        entries: [{ action: 'message.accepted', type: 'message', id: (b) => b.results[0].message.id }, { action: 'message.accepted', type: 'message', id: (b) => b.results[1].message.id }] },
      { name: 'send through the gateway', status: 200, run: async () => call('POST', `/graph/v23.0/${senderNumberId(p.sender)}/messages`, { messaging_product: 'whatsapp', to: PHONE.slice(1), type: 'text', text: { body: TEXT } }),
        entries: [{ action: 'message.accepted', type: 'message', id: (b) => b.messages[0].id }] },
      { name: 'schedule a message', status: 202, run: async () => call('POST', '/v1/messages', { to: PHONE, type: 'text', text: { body: TEXT }, sendAt: inFuture }), entries: [{ action: 'message.accepted', type: 'message', id: (b) => (state.scheduled = b.id) }] },
      { name: 'cancel it', status: 200, run: async () => call('POST', `/v1/messages/${state.scheduled}/cancel`), entries: [{ action: 'message.cancelled', type: 'message', id: () => state.scheduled }],
        diff: ([d]) => assert.deepEqual(d, { status: { to: 'cancelled' } }) },
      { name: 'read a message with its content', status: 200, run: async () => call('GET', `/v1/messages/${state.message}`), entries: [{ action: 'message.read_content', type: 'message', id: () => state.message }] },
      { name: 'list messages with content', status: 200, run: async () => call('GET', '/v1/messages?include=content'), entries: [{ action: 'message.read_content', type: 'message', id: null }],
        diff: ([d]) => assert.ok((d!.shown as { to: { ids: string[] } }).to.ids.includes(state.message)) },
      { name: 'list messages without content', status: 200, run: async () => call('GET', '/v1/messages'), entries: [] },
      { name: 'export a contact', status: 200, run: async () => call('GET', `/v1/contacts/${state.contact}/export`), entries: [{ action: 'contact.exported', type: 'contact', id: () => state.contact }] },
      { name: 'create an API key', status: 201, run: async () => call('POST', '/v1/api-keys', { name: 'reporting', scopes: ['messages:read'] }), entries: [{ action: 'api_key.created', type: 'api_key', id: (b) => (state.key = b.id) }],
        diff: ([d]) => assert.deepEqual(d!.key, { ref: `api_key:${state.key}.key` }) },
      { name: 'revoke it', status: 204, run: async () => call('DELETE', `/v1/api-keys/${state.key}`), entries: [{ action: 'api_key.revoked', type: 'api_key', id: () => state.key }] },
      { name: 'invite a user', status: 201, run: async () => call('POST', '/v1/users', { email: USER_EMAIL, name: NAME, role: 'agent' }), entries: [{ action: 'user.invited', type: 'user', id: (b) => (state.user = b.user.id) }] },
      { name: 'list users', status: 200, run: async () => call('GET', '/v1/users'), entries: [{ action: 'user.read_pii', type: 'user', id: null }] },
      { name: 'change a user', status: 200, run: async () => call('PATCH', `/v1/users/${state.user}`, { role: 'supervisor' }), entries: [{ action: 'user.updated', type: 'user', id: () => state.user }],
        diff: ([d]) => assert.deepEqual(d, { role: { from: 'agent', to: 'supervisor' } }) },
      { name: 'create a team', status: 201, run: async () => call('POST', '/v1/teams', { name: 'Support' }), entries: [{ action: 'team.created', type: 'team', id: (b) => b.id }] },
      { name: 'add a sender', status: 201, run: async () => call('POST', '/v1/senders', { name: 'second', provider: 'cloud', baseUrl: 'http://127.0.0.1:9', phoneNumberId: 'pn-audit-2', wabaId: 'waba1', accessToken: 'sender-secret-token' }),
        entries: [{ action: 'sender.created', type: 'sender', id: (b) => (state.sender = b.id) }], diff: ([d]) => assert.ok(!JSON.stringify(d).includes('sender-secret-token')) },
      { name: 'change its credentials and throughput', status: 200, run: async () => call('PATCH', `/v1/senders/${state.sender}`, { accessToken: 'sender-new-secret', mps: 20 }),
        entries: [{ action: 'sender.updated', type: 'sender', id: () => state.sender }],
        diff: ([d]) => assert.deepEqual(d, { credentials: { ref: `sender:${state.sender}.credentials` }, mps: { from: 80, to: 20 } }) },
      { name: 'subscribe to events', status: 201, run: async () => call('POST', '/v1/event-subscriptions', { url: 'http://127.0.0.1:9/hooks', eventTypes: ['message.status'], secret: 'subscription-secret-0123' }),
        entries: [{ action: 'event_subscription.created', type: 'event_subscription', id: (b) => (state.subscription = b.id) }], diff: ([d]) => assert.ok(!JSON.stringify(d).includes('subscription-secret-0123')) },
      { name: 'rotate its secret', status: 200, run: async () => call('PATCH', `/v1/event-subscriptions/${state.subscription}`, { rotateSecret: true, enabled: false }),
        entries: [{ action: 'event_subscription.updated', type: 'event_subscription', id: () => state.subscription }],
        diff: ([d]) => assert.deepEqual(d, { enabled: { from: true, to: false }, secret: { ref: `event_subscription:${state.subscription}.secret` } }) },
      { name: 'create a template', status: 201, run: async () => call('POST', '/v1/templates', { wabaId: 'waba1', name: 'audit_notice', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hello there.' }] }),
        entries: [{ action: 'template.created', type: 'template', id: (b) => (state.template = b.template.id) }] },
      { name: 'add a version', status: 201, run: async () => call('POST', `/v1/templates/${state.template}/versions`, { category: 'UTILITY', components: [{ type: 'BODY', text: 'Hello there, again.' }] }),
        entries: [{ action: 'template_version.created', type: 'template_version', id: (b) => `${state.template}/${b.number}` }] },
      { name: 'lint a template (changes nothing)', status: 200, run: async () => call('POST', '/v1/templates/lint', { name: 'audit_lint', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hello there.' }] }), entries: [] },
      { name: 'delete the template', status: 204, run: async () => call('DELETE', `/v1/templates/${state.template}`), entries: [{ action: 'template.deleted', type: 'template', id: () => state.template }] },
      { name: 'set the retention', status: 200, run: async () => call('PUT', '/v1/privacy/retention', { messageBodyDays: 30 }), entries: [{ action: 'privacy_retention.updated', type: 'privacy_retention', id: null }] },
      { name: 'change the consent policy', status: 200, run: async () => call('PATCH', '/v1/consent/policy', { utility: 'opt_in' }), entries: [{ action: 'consent_policy.updated', type: 'consent_policy', id: null }] },
      { name: 'a person signs in and reads a contact', status: 200, run: async () => {
        const signed = await signIn(app, admin.email);
        state.cookie = signed.cookie;
        return app.inject({ method: 'GET', url: `/v1/contacts/${state.contact}`, headers: { cookie: signed.cookie } });
      }, entries: [{ action: 'user.signed_in', type: 'user', id: () => admin.id, actor: { type: 'user', id: admin.id } }, { action: 'contact.read_pii', type: 'contact', id: () => state.contact, actor: { type: 'user', id: admin.id } }] },
      { name: 'a failed sign-in', status: 401, run: async () => app.inject({ method: 'POST', url: '/v1/session', payload: { email: admin.email, password: 'not the password at all' } }), entries: [] },
      { name: 'a failed change (unknown contact)', status: 404, run: async () => call('PATCH', '/v1/contacts/ct_unknown', { name: NAME }), entries: [] },
      { name: 'a refused change (the number has a contact)', status: 409, run: async () => call('POST', '/v1/contacts', { phone: PHONE, name: NAME }), entries: [] },
      { name: 'erase a contact', status: 200, run: async () => call('DELETE', `/v1/contacts/${state.created}`), entries: [{ action: 'contact.erased', type: 'contact', id: () => state.created }] },
      { name: 'erase it again (answers the first erasure)', status: 200, run: async () => call('DELETE', `/v1/contacts/${state.created}`), entries: [] },
    ];

    for (const scenario of scenarios) {
      const before = (await rowsOf(ctx.db, workspaceId)).length;
      const answer = await scenario.run();
      assert.equal(answer.statusCode, scenario.status, `${scenario.name}: ${answer.body}`);
      const body = answer.statusCode === 204 ? null : answer.json();
      const added = (await rowsOf(ctx.db, workspaceId)).slice(before);
      assert.deepEqual(added.map((r) => r.action), scenario.entries.map((e) => e.action), scenario.name);
      for (const [i, expected] of scenario.entries.entries()) {
        const row = added[i];
        const id = typeof expected.id === 'function' ? expected.id(body) : expected.id;
        assert.deepEqual({ type: row.resource_type, id: row.resource_id }, { type: expected.type, id }, `${scenario.name}: resource`);
        assert.deepEqual({ type: row.actor_type, id: row.actor_id }, expected.actor ?? asKey, `${scenario.name}: actor`);
        assert.ok(row.request_id, `${scenario.name}: request id`);
      }
      assertNoPersonalValue(added);
      scenario.diff?.(added.map((r) => (r.diff ? (JSON.parse(String(r.diff)) as Record<string, unknown>) : null)));
    }

    // Nothing personal anywhere in the trail, and the chain still verifies.
    assertNoPersonalValue(await rowsOf(ctx.db, workspaceId));
    const report = await verify(ctx, workspaceId);
    assert.equal(report.ok, true, JSON.stringify(report));
  });

  it('with PARLEY_AUDIT_SENDS off, sends record nothing and every other change still does', async (t) => {
    const p = await pipeline(fx, t, { config: { auditSends: false } });
    await p.openWindow(PHONE);
    const count = async () => (await rowsOf(p.ctx.db, p.workspaceId)).length;
    const sent = await p.send({ to: PHONE, type: 'text', text: { body: TEXT } });
    assert.equal(sent.statusCode, 202);
    assert.equal(await count(), 0);
    const created = await p.app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization: p.authorization }, payload: { phone: '+15550007303' } });
    assert.equal(created.statusCode, 201);
    assert.deepEqual((await rowsOf(p.ctx.db, p.workspaceId)).map((r) => r.action), ['contact.created']);
  });

  it('concurrent sends record one entry each, chained without gaps', async (t) => {
    const p = await pipeline(fx, t);
    await p.openWindow(PHONE);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => p.send({ to: PHONE, type: 'text', text: { body: `${TEXT} ${i}` } })));
    assert.ok(answers.every((a) => a.statusCode === 202));
    const rows = await rowsOf(p.ctx.db, p.workspaceId);
    assert.deepEqual(rows.map((r) => Number(r.seq)), Array.from({ length: 40 }, (_, i) => i + 1));
    assert.deepEqual(new Set(rows.map((r) => r.resource_id)), new Set(answers.map((a) => a.json().id)));
    assertNoPersonalValue(rows);
    assert.equal((await verify(p.ctx, p.workspaceId)).ok, true);
  });
});

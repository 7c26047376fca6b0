import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { linkEmbeddedEmulator } from '../../src/emulator-phone/link.js';
import { appWithRouteTable, fillPath, minimalBody, minimalHeaders, minimalQuery, pathParams, type RouteEntry } from '../harness/route-table.js';
import { createApiKey } from '../../src/access/api-key-queries.js';
import { insertConversation } from '../../src/conversations/conversation-store.js';
import { openConversation } from '../../src/conversations/state-machine.js';
import { newId } from '../../src/shared/ids.js';
import { publishEvent } from '../../src/events/publish-event.js';
import type { ParleyApp } from '../../src/http/types.js';
import { makeUser, signIn, type Signed } from '../people/helpers.js';
import { insertCloudSender, insertUltraMsgSender } from '../templates/harness/setup.js';
import { liveTemplate } from '../templates/harness/seed.js';

// Workspace isolation: workspace B holds one of every resource a route names by id; workspace A's
// admin key and admin user call every route with an id in its path (read from the route table) with
// B's ids. Each answer is 404 (the gateway: Meta's "object does not exist"), never B's data, and B's
// resources are as they were afterwards. A route whose id names something B does not hold fails the
// test, so a new route cannot be forgotten.

/** Path parameters that name no resource of a workspace: the gateway's Graph API version. */
const NOT_IDS = new Set(['version']);
const notId = (route: RouteEntry, param: string) => route.url.startsWith('/graph/') && NOT_IDS.has(param);

describeStorage('workspace isolation: every route with an id, with ids of another workspace', (fx) => {
  let app: ParleyApp;
  let routes: RouteEntry[];
  let adminA: string;
  let sessionA: Signed;
  let adminB: string;
  /** B's resources: the value for a path parameter of routes under a prefix. */
  const b: Array<{ prefix: string; param: string; value: string }> = [];
  /** Values of B's that no answer to A may contain. */
  const secrets: string[] = [];
  /** What B's admin reads of its resources, before A's requests. */
  let snapshot: Map<string, string>;

  const readB = async (): Promise<Map<string, string>> => {
    const urls = ['/v1/contacts?includeMerged=true&includeErased=true', '/v1/messages', '/v1/templates', '/v1/intents', '/v1/senders', '/v1/event-subscriptions', '/v1/api-keys', '/v1/users', '/v1/teams', '/v1/event-dead-letters', '/v1/agents', '/v1/assignment-policies', '/v1/canned-replies', '/v1/sla-policies', '/v1/flows', '/v1/flow-assignments'];
    for (const { prefix, param, value } of b) if (param === 'id' && routes.some((r) => r.method === 'GET' && r.url === `${prefix}/:id`)) urls.push(`${prefix}/${encodeURIComponent(value)}`);
    const out = new Map<string, string>();
    for (const url of urls) {
      const res = await app.inject({ url, headers: { authorization: adminB } });
      assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
      out.set(url, res.body);
    }
    return out;
  };

  before(async () => {
    const ctx = fx.context();
    ({ app, routes } = await appWithRouteTable(fx, ctx));
    const a = await fx.workspace(['admin']);
    adminA = a.authorization;
    sessionA = await signIn(app, (await makeUser(ctx, a.workspaceId, 'admin')).email);

    const wsB = await fx.workspace(['admin']);
    adminB = wsB.authorization;
    const B = wsB.workspaceId;
    const post = async (url: string, payload: Record<string, unknown>) => {
      const res = await app.inject({ method: 'POST', url, headers: { authorization: adminB }, payload });
      assert.ok(res.statusCode < 300, `${url}: ${res.body}`);
      return res.json();
    };
    const add = (prefix: string, param: string, value: string) => b.push({ prefix, param, value });

    const contact = await post('/v1/contacts', { phone: '+5592987650001', name: 'Bruna Secret', email: 'bruna@b.example', attributes: { plan: 'b-only-plan' } });
    secrets.push('+5592987650001', 'Bruna Secret', 'bruna@b.example', 'b-only-plan');
    add('/v1/contacts', 'id', contact.id);
    const cloudSenderId = await insertCloudSender(ctx, B, { baseUrl: 'http://127.0.0.1:9', token: 'b-token', wabaId: 'waba_b', phoneNumberId: `7770${process.pid % 1000}${Date.now() % 100000}` });
    const cloud = await app.inject({ url: `/v1/senders/${cloudSenderId}`, headers: { authorization: adminB } });
    add('/graph', 'phoneNumberId', cloud.json().phoneNumberId);
    const ultramsgId = await insertUltraMsgSender(ctx, B, { baseUrl: 'http://127.0.0.1:9', token: 'b-token' });
    add('/v1/senders', 'id', ultramsgId);
    // The emulator phone names a sender and a customer's number; its routes check the sender before reaching the emulator.
    linkEmbeddedEmulator(ctx, 'http://127.0.0.1:9');
    add('/v1/emulator/phone/chats', 'senderId', ultramsgId);
    add('/v1/emulator/phone/chats', 'phone', '5592987650001');
    const message = await post('/v1/messages', { to: '+5592987650001', from: ultramsgId, type: 'text', text: { body: 'b-only-words' }, lane: 'transactional' });
    secrets.push('b-only-words');
    add('/v1/messages', 'id', message.id);
    // A file B uploaded to send (its bytes are B's customer's).
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const uploaded = await app.inject({ method: 'POST', url: '/v1/media?filename=b-only-file.png', headers: { authorization: adminB, 'content-type': 'image/png' }, payload: png });
    assert.equal(uploaded.statusCode, 201, uploaded.body);
    secrets.push('b-only-file.png');
    add('/v1/media', 'id', uploaded.json().id);
    const template = await liveTemplate(ctx, B, { wabaId: 'waba_b', name: 'b_only_template', language: 'en_US', components: [{ type: 'BODY', text: 'B only template body' }] });
    secrets.push('B only template body');
    add('/v1/templates', 'id', template.id);
    add('/v1/templates', 'number', '1');
    await post('/v1/intents', { name: 'b_only_intent', text: 'B only intent text' });
    secrets.push('B only intent text');
    add('/v1/intents', 'name', 'b_only_intent');
    await post('/v1/intents/b_only_intent/variants', { name: 'control', weight: 100 });
    const bold = await post('/v1/intents/b_only_intent/variants', { name: 'bold', weight: 0, text: 'B bold text' });
    add('/v1/intents', 'variantId', bold.id);
    const rollout = await post('/v1/intents/b_only_intent/rollouts', { variantId: bold.id, stages: [{ percent: 10, minMessages: 20 }, { percent: 100 }] });
    add('/v1/intents', 'rolloutId', rollout.id);
    const subscription = await post('/v1/event-subscriptions', { url: 'https://crm.b.example/hook', eventTypes: ['message.status'] });
    secrets.push('crm.b.example');
    add('/v1/event-subscriptions', 'id', subscription.id);
    // A dead delivery: published to B's subscription, then given up on.
    const eventId = await publishEvent(fx.db, { workspaceId: B, type: 'message.status', data: { b: 'b-only-event' } });
    await fx.db.updateTable('event_deliveries').set({ state: 'dead' }).where('event_id', '=', eventId!).execute();
    const dead = await app.inject({ url: '/v1/event-dead-letters', headers: { authorization: adminB } });
    add('/v1/event-dead-letters', 'id', dead.json().data[0].id);
    add('/v1/api-keys', 'id', (await createApiKey(fx.db, { workspaceId: B, name: 'b key', scopes: ['admin'] })).info.id);
    const user = await makeUser(ctx, B, 'agent');
    secrets.push(user.email);
    add('/v1/users', 'id', user.id);
    const team = await post('/v1/teams', { name: 'B only team' });
    secrets.push('B only team');
    add('/v1/teams', 'id', team.id);
    // A conversation of B's contact (what a customer message opens), for every conversation route.
    const conversation = await insertConversation(fx.db, { id: newId('cnv'), workspaceId: B, senderId: ultramsgId, contactId: contact.id, conversation: openConversation(Date.now(), null).conversation }, Date.now());
    add('/v1/conversations', 'id', conversation.id);
    add('/v1/agents', 'userId', user.id);
    const policy = await app.inject({ method: 'PUT', url: `/v1/assignment-policies/team/${team.id}`, headers: { authorization: adminB }, payload: { mode: 'balanced' } });
    assert.equal(policy.statusCode, 200, policy.body);
    add('/v1/assignment-policies', 'scope', 'team');
    add('/v1/assignment-policies', 'scopeId', team.id);
    const canned = await post('/v1/canned-replies', { shortcut: 'b-only-shortcut', text: 'B only canned text' });
    secrets.push('B only canned text');
    add('/v1/canned-replies', 'id', canned.id);
    const sla = await post('/v1/sla-policies', { name: 'B only SLA', scope: 'default', firstResponseMinutes: 10, nextResponseMinutes: null, resolutionMinutes: 120, businessHours: false });
    add('/v1/sla-policies', 'id', sla.id);
    // A published flow of B's, with a secret and an assignment to B's sender.
    const flow = await post('/v1/flows', { definition: { name: 'b-only-flow', defaultLanguage: 'en', start: 'bye', nodes: { bye: { type: 'resolve', message: { text: 'B only flow text' } } } } });
    secrets.push('B only flow text', flow.webhookSecret);
    add('/v1/flows', 'id', flow.id);
    await post(`/v1/flows/${flow.id}/publish`, {});
    add('/v1/flows', 'version', '1');
    const assigned = await app.inject({ method: 'PUT', url: `/v1/flows/${flow.id}/assignments`, headers: { authorization: adminB }, payload: { senderId: ultramsgId } });
    assert.equal(assigned.statusCode, 200, assigned.body);
    snapshot = await readB();
  });

  const valueFor = (route: RouteEntry, param: string) => b.find((r) => route.url.startsWith(`${r.prefix}/`) && r.param === param)?.value;

  it('workspace B holds a resource for every id a route names', () => {
    const missing = routes.flatMap((route) => pathParams(route.url).filter((p) => !notId(route, p) && valueFor(route, p) === undefined).map((p) => `${route.method} ${route.url} :${p}`));
    assert.deepEqual(missing, [], 'give workspace B one of these resources');
    assert.ok(routes.filter((r) => pathParams(r.url).length).length > 50);
  });

  it("answers 404 to workspace A's admin key and admin user for every one of B's ids, and leaves B's resources as they were", async () => {
    const failures: string[] = [];
    let sent = 0;
    for (const route of routes) {
      const params = pathParams(route.url);
      if (!params.some((p) => !notId(route, p))) continue;
      const url = fillPath(route.url, (p) => (notId(route, p) ? 'v23.0' : valueFor(route, p) ?? 'none')) + minimalQuery(route);
      const body = minimalBody(route);
      for (const who of ['key', 'session'] as const) {
        const headers: Record<string, string> = { ...minimalHeaders(route), ...(body ? { 'content-type': body.contentType } : {}) };
        if (who === 'key') headers.authorization = adminA;
        else Object.assign(headers, { cookie: sessionA.cookie }, route.method === 'GET' || route.method === 'HEAD' ? {} : { 'x-csrf-token': sessionA.csrfToken });
        const res = await app.inject({ method: route.method as 'GET', url, headers, payload: body?.payload });
        sent++;
        const at = `${who} ${route.method} ${route.url}: ${res.statusCode}`;
        if (route.url.startsWith('/graph/')) {
          // The gateway speaks Graph: an object that does not exist is a 400 with code 100, subcode 33.
          const error = res.json().error;
          if (res.statusCode !== 400 || error?.code !== 100 || error?.error_subcode !== 33) failures.push(`${at} ${res.body.slice(0, 200)}`);
        } else if (res.statusCode !== 404) failures.push(`${at} ${res.body.slice(0, 200)}`);
        for (const secret of secrets) if (res.body.includes(secret)) failures.push(`${at} shows B's ${secret}`);
      }
    }
    assert.deepEqual(failures, []);
    assert.ok(sent > 100, `${sent} requests`);
    const after = await readB();
    for (const [url, body] of snapshot) assert.equal(after.get(url), body, `B's ${url} changed`);
  });
});

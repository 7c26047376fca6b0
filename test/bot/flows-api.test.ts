import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { makeUser, signIn, type Signed } from '../people/helpers.js';
import { insertUltraMsgSender } from '../templates/harness/setup.js';
import { flowForConversation, sealedWebhookSecret } from '../../src/bot/flow-store.js';
import type { ParleyApp } from '../../src/http/types.js';
import type { ParleyContext } from '../../src/runtime/context.js';

const flow = (name: string, greeting = 'Hello! How can we help?') => ({
  name,
  defaultLanguage: 'en',
  start: 'menu',
  nodes: {
    menu: {
      type: 'menu',
      text: greeting,
      options: [
        { id: 'hours', title: 'Opening hours', next: 'hours' },
        { id: 'person', title: 'Talk to us', next: 'handoff' },
      ],
    },
    hours: { type: 'send', message: { text: 'We open at 9.' }, next: 'done' },
    done: { type: 'resolve' },
    handoff: { type: 'handoff', reason: 'asked for a person' },
  },
});

describeStorage('the flows API', (fx) => {
  let ctx: ParleyContext;
  let app: ParleyApp;
  let workspaceId: string;
  let admin: { authorization: string };
  let senderId: string;
  let adminUser: { id: string; signed: Signed };

  before(async () => {
    ctx = fx.context();
    app = await fx.app(ctx);
    const ws = await fx.workspace(['admin']);
    workspaceId = ws.workspaceId;
    admin = { authorization: ws.authorization };
    senderId = await insertUltraMsgSender(ctx, workspaceId, { baseUrl: 'http://127.0.0.1:9', token: 'flows-token' });
    const user = await makeUser(ctx, workspaceId, 'admin');
    adminUser = { id: user.id, signed: await signIn(app, user.email) };
  });

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = admin) =>
    app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const create = async (definition: unknown) => {
    const res = await call('POST', '/v1/flows', { definition });
    assert.equal(res.statusCode, 201, res.body);
    return res.json();
  };

  it('a flow is created, checked, published as version 1, edited and published as version 2, and version 1 never changes', async () => {
    const created = await create(flow('support'));
    assert.equal(created.name, 'support');
    assert.deepEqual(created.problems, []);
    assert.equal(created.latestVersion, null);

    const checked = await call('POST', `/v1/flows/${created.id}/validate`);
    assert.equal(checked.statusCode, 200, checked.body);
    assert.deepEqual(checked.json(), { problems: [] });

    const v1 = await call('POST', `/v1/flows/${created.id}/publish`);
    assert.equal(v1.statusCode, 201, v1.body);
    assert.deepEqual(v1.json(), { version: 1 });

    const edited = await call('PUT', `/v1/flows/${created.id}`, { definition: flow('support', 'Hi again!') });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.equal(edited.json().draft.nodes.menu.text, 'Hi again!');
    assert.equal(edited.json().latestVersion, 1);

    // Version 2 is published by a signed-in person: the version says who.
    const v2 = await call('POST', `/v1/flows/${created.id}/publish`, undefined, { cookie: adminUser.signed.cookie, 'x-csrf-token': adminUser.signed.csrfToken });
    assert.equal(v2.statusCode, 201, v2.body);
    assert.deepEqual(v2.json(), { version: 2 });

    const first = await call('GET', `/v1/flows/${created.id}/versions/1`);
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().definition.nodes.menu.text, 'Hello! How can we help?');
    assert.match(first.json().publishedBy, /^key:/);
    const second = (await call('GET', `/v1/flows/${created.id}/versions/2`)).json();
    assert.equal(second.definition.nodes.menu.text, 'Hi again!');
    assert.equal(second.publishedBy, `user:${adminUser.id}`);

    const versions = (await call('GET', `/v1/flows/${created.id}/versions`)).json();
    assert.deepEqual(versions.data.map((v: { version: number }) => v.version), [2, 1]);
    const missing = await call('GET', `/v1/flows/${created.id}/versions/3`);
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'FLOW_VERSION_NOT_FOUND');

    const read = (await call('GET', `/v1/flows/${created.id}`)).json();
    assert.equal(read.latestVersion, 2);
    assert.deepEqual(read.problems, []);
    const list = (await call('GET', '/v1/flows')).json();
    assert.ok(list.data.some((f: { id: string; latestVersion: number }) => f.id === created.id && f.latestVersion === 2));

    const audit = (await call('GET', '/v1/audit?resourceType=flow')).json().data as Array<{ action: string; resource: { id: string } }>;
    const actions = audit.filter((e) => e.resource.id === created.id).map((e) => e.action).reverse();
    assert.deepEqual(actions, ['flow.created', 'flow.published', 'flow.updated', 'flow.published']);
  });

  it('the webhook secret is shown once at creation, sealed at rest, and a rotation shows a new one once', async () => {
    const created = await create(flow('secretive'));
    assert.match(created.webhookSecret, /^[A-Za-z0-9_-]{43}$/);
    const sealed = (await sealedWebhookSecret(fx.db, workspaceId, created.id))!;
    assert.ok(!sealed.includes(created.webhookSecret));
    assert.equal(await ctx.keyring.decrypt(workspaceId, sealed), created.webhookSecret);

    for (const url of [`/v1/flows/${created.id}`, '/v1/flows', `/v1/flows/${created.id}/versions`]) {
      const res = await call('GET', url);
      assert.ok(!res.body.includes(created.webhookSecret) && !res.body.includes('webhookSecret'), url);
    }
    const audit = await call('GET', '/v1/audit?resourceType=flow');
    assert.ok(!audit.body.includes(created.webhookSecret));

    const rotated = await call('POST', `/v1/flows/${created.id}/webhook-secret/rotate`);
    assert.equal(rotated.statusCode, 200, rotated.body);
    const { webhookSecret } = rotated.json();
    assert.match(webhookSecret, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(webhookSecret, created.webhookSecret);
    assert.equal(await ctx.keyring.decrypt(workspaceId, (await sealedWebhookSecret(fx.db, workspaceId, created.id))!), webhookSecret);
  });

  it('a draft with a list of 11 rows is saved and checked, but its publication is refused with FLOW_INVALID naming the node and the field', async () => {
    const draft = flow('too-many-rows');
    draft.nodes.menu.options = Array.from({ length: 11 }, (_, i) => ({ id: `o${i}`, title: `Option ${i}`, next: 'handoff' }));
    const created = await create(draft);
    assert.ok(created.problems.some((p: { node: string; field: string }) => p.node === 'menu' && p.field === '/nodes/menu/options'), JSON.stringify(created.problems));

    const checked = (await call('POST', '/v1/flows/validate', { definition: draft })).json();
    assert.deepEqual(checked.problems, created.problems);

    const refused = await call('POST', `/v1/flows/${created.id}/publish`);
    assert.equal(refused.statusCode, 400, refused.body);
    const error = refused.json().error;
    assert.equal(error.code, 'FLOW_INVALID');
    assert.ok(error.details.problems.some((p: { node: string; field: string; message: string }) => p.node === 'menu' && p.field === '/nodes/menu/options' && p.message.length > 0), JSON.stringify(error.details));
    assert.equal((await call('GET', `/v1/flows/${created.id}/versions`)).json().data.length, 0);
  });

  it('a draft must be an object with a valid name; anything else may be wrong until publication', async () => {
    const created = await create({ name: 'half-written', nodes: {} });
    assert.ok(created.problems.length > 0);
    for (const definition of [{ nodes: {} }, { name: 'Has Spaces' }, 'support', []]) {
      const res = await call('POST', '/v1/flows', { definition });
      assert.equal(res.statusCode, 400, `${JSON.stringify(definition)}: ${res.body}`);
      assert.equal(res.json().error.code, 'REQUEST_INVALID');
    }
    const validated = await call('POST', '/v1/flows/validate', { definition: 'not a flow' });
    assert.equal(validated.statusCode, 200, validated.body);
    assert.ok(validated.json().problems.length > 0);
  });

  it('a second flow of the same name is 409 FLOW_EXISTS, on creation and on renaming', async () => {
    await create(flow('sales'));
    const again = await call('POST', '/v1/flows', { definition: flow('sales') });
    assert.equal(again.statusCode, 409, again.body);
    assert.equal(again.json().error.code, 'FLOW_EXISTS');
    const other = await create(flow('sales-2'));
    const renamed = await call('PUT', `/v1/flows/${other.id}`, { definition: flow('sales') });
    assert.equal(renamed.statusCode, 409, renamed.body);
    assert.equal(renamed.json().error.code, 'FLOW_EXISTS');
  });

  it('assignments: only a published flow, only a sender of the workspace; an entry point\'s flow wins over the sender\'s', async () => {
    const main = await create(flow('front-desk'));
    const unpublished = await call('PUT', `/v1/flows/${main.id}/assignments`, { senderId });
    assert.equal(unpublished.statusCode, 409, unpublished.body);
    assert.equal(unpublished.json().error.code, 'FLOW_NOT_PUBLISHED');
    assert.equal((await call('POST', `/v1/flows/${main.id}/publish`)).statusCode, 201);

    const unknown = await call('PUT', `/v1/flows/${main.id}/assignments`, { senderId: 'snd_unknown' });
    assert.equal(unknown.statusCode, 404, unknown.body);
    assert.equal(unknown.json().error.code, 'SENDER_NOT_FOUND');
    const other = await fx.workspace(['admin']);
    const foreignSender = await insertUltraMsgSender(ctx, other.workspaceId, { baseUrl: 'http://127.0.0.1:9', token: 'other-token' });
    assert.equal((await call('PUT', `/v1/flows/${main.id}/assignments`, { senderId: foreignSender })).json().error.code, 'SENDER_NOT_FOUND');

    const assigned = await call('PUT', `/v1/flows/${main.id}/assignments`, { senderId });
    assert.equal(assigned.statusCode, 200, assigned.body);
    const view = assigned.json() as { flowId: string; senderId: string; entry: string | null; updatedAt: string };
    assert.deepEqual([view.flowId, view.senderId, view.entry], [main.id, senderId, null]);

    const ad = await create(flow('summer-ad'));
    await call('POST', `/v1/flows/${ad.id}/publish`);
    const byAd = await call('PUT', `/v1/flows/${ad.id}/assignments`, { senderId, entry: 'referral:120208' });
    assert.equal(byAd.statusCode, 200, byAd.body);
    assert.deepEqual(await flowForConversation(fx.db, workspaceId, senderId, 'referral:120208'), { flowId: ad.id, version: 1 });
    assert.deepEqual(await flowForConversation(fx.db, workspaceId, senderId, null), { flowId: main.id, version: 1 });

    const all = (await call('GET', `/v1/flow-assignments?senderId=${senderId}`)).json().data;
    assert.deepEqual(all.map((a: { flowId: string; entry: string | null }) => [a.flowId, a.entry]), [[main.id, null], [ad.id, 'referral:120208']]);
    assert.deepEqual((await call('GET', `/v1/flows/${ad.id}`)).json().assignments.map((a: { entry: string }) => a.entry), ['referral:120208']);

    // Removing names this flow's assignment: another flow's is not found.
    const wrong = await call('DELETE', `/v1/flows/${main.id}/assignments?senderId=${senderId}&entry=referral:120208`);
    assert.equal(wrong.statusCode, 404, wrong.body);
    assert.equal(wrong.json().error.code, 'FLOW_ASSIGNMENT_NOT_FOUND');
    const removed = await call('DELETE', `/v1/flows/${ad.id}/assignments?senderId=${senderId}&entry=referral:120208`);
    assert.equal(removed.statusCode, 204, removed.body);
    assert.deepEqual(await flowForConversation(fx.db, workspaceId, senderId, 'referral:120208'), { flowId: main.id, version: 1 });

    // Assigning another flow replaces the one that answered there, also when two requests race.
    const both = await Promise.all([main.id, ad.id].map((id) => call('PUT', `/v1/flows/${id}/assignments`, { senderId, entry: 'referral:777' })));
    assert.deepEqual(both.map((r) => r.statusCode), [200, 200], both.map((r) => r.body).join(' '));
    const raced = (await call('GET', `/v1/flow-assignments?senderId=${senderId}`)).json().data.filter((a: { entry: string | null }) => a.entry === 'referral:777');
    assert.equal(raced.length, 1);
    assert.equal((await call('PUT', `/v1/flows/${ad.id}/assignments`, { senderId })).statusCode, 200);
    assert.deepEqual(await flowForConversation(fx.db, workspaceId, senderId, null), { flowId: ad.id, version: 1 });

    const actions = ((await call('GET', '/v1/audit?resourceType=flow')).json().data as Array<{ action: string }>).map((e) => e.action);
    assert.ok(actions.includes('flow.assigned') && actions.includes('flow.unassigned'), actions.join(', '));
  });

  it('another workspace\'s flow is not found, even with a body that the route would refuse', async () => {
    const theirs = await create(flow('theirs-to-keep'));
    const other = await fx.workspace(['admin']);
    const headers = { authorization: other.authorization };
    const attempts = [
      await call('PUT', `/v1/flows/${theirs.id}`, { definition: { nodes: 'not a draft' } }, headers),
      await call('PUT', `/v1/flows/${theirs.id}/assignments`, { senderId: 42, entry: 'nowhere' }, headers),
      await call('DELETE', `/v1/flows/${theirs.id}/assignments`, undefined, headers),
      await call('GET', `/v1/flows/${theirs.id}/versions/0`, undefined, headers),
      await call('POST', `/v1/flows/${theirs.id}/publish`, undefined, headers),
    ];
    assert.deepEqual(attempts.map((r) => [r.statusCode, r.json().error.code]), attempts.map(() => [404, 'FLOW_NOT_FOUND']));
    assert.equal((await call('GET', `/v1/flows/${theirs.id}`)).json().latestVersion, null);
  });

  it('an agent may not read or change flows (403), nor may a key without the flows scopes; flows:read reads but does not write', async () => {
    const agent = await signIn(app, (await makeUser(ctx, workspaceId, 'agent')).email);
    const listed = await call('GET', '/v1/flows', undefined, { cookie: agent.cookie });
    assert.equal(listed.statusCode, 403, listed.body);
    assert.equal(listed.json().error.details.requiredPermission, 'flows.read');
    const created = await call('POST', '/v1/flows', { definition: flow('by-agent') }, { cookie: agent.cookie, 'x-csrf-token': agent.csrfToken });
    assert.equal(created.statusCode, 403, created.body);
    assert.equal(created.json().error.code, 'PERMISSION_MISSING');

    const reader = await fx.workspace(['flows:read']);
    assert.equal((await call('GET', '/v1/flows', undefined, { authorization: reader.authorization })).statusCode, 200);
    const refused = await call('POST', '/v1/flows', { definition: flow('by-reader') }, { authorization: reader.authorization });
    assert.equal(refused.statusCode, 403, refused.body);
    assert.equal(refused.json().error.details.requiredScope, 'flows:write');
  });

  it('the schema is the flow definition\'s JSON Schema; a draft over 512 KiB is 413, one nested too deep is 400', async () => {
    const schema = await call('GET', '/v1/flows/schema');
    assert.equal(schema.statusCode, 200);
    assert.equal(schema.json().title, 'Parley bot flow');
    assert.ok(schema.json().properties.nodes);
    assert.ok(!schema.body.includes('x-parley'), 'the published schema carries no internal keyword');

    const big = { ...flow('big'), description: 'x'.repeat(600 * 1024) };
    const tooLarge = await call('POST', '/v1/flows', { definition: big });
    assert.equal(tooLarge.statusCode, 413, tooLarge.body);
    assert.equal(tooLarge.json().error.code, 'REQUEST_TOO_LARGE');

    // Written as text: nested this deep, it is more than JSON.stringify can write.
    const deep = `{"definition":{"name":"deep","extra":${'['.repeat(50_000)}${']'.repeat(50_000)}}}`;
    for (const url of ['/v1/flows', '/v1/flows/validate']) {
      const res = await app.inject({ method: 'POST', url, headers: { ...admin, 'content-type': 'application/json' }, payload: deep });
      assert.equal(res.statusCode, 400, `${url}: ${res.body.slice(0, 200)}`);
      assert.equal(res.json().error.code, 'REQUEST_INVALID');
    }
  });
});

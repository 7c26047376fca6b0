import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describeStorage } from '../harness/storage.js';
import { createApiKey } from '../../src/access/api-key-queries.js';
import { FIXTURE_PHONE_NUMBER_ID, fixture, insertSender, postCloud, processAll, webhookContext, withMessageId } from '../webhooks/helpers.js';

// Item 18 of "Right by default": replies are read from the list, not one request per message.
describeStorage('message list with content', (fx) => {
  async function env() {
    const ctx = webhookContext(fx);
    const app = await fx.app(ctx);
    const { workspaceId, authorization } = await fx.workspace();
    // Each test's sender has its own phone number id, which its webhooks name.
    const phoneNumberId = String(106540300000000 + Math.floor(Math.random() * 1e9));
    await insertSender(fx.db, ctx.keyring, { workspaceId, phoneNumberId });
    const replies: string[] = [];
    for (const text of ['Hi, I need help with my order.', 'It is order 4711.', 'Thanks!']) {
      const id = `wamid.test.${randomBytes(6).toString('hex')}`;
      const body = withMessageId(fixture('cloud-text-message.json'), id).replace(FIXTURE_PHONE_NUMBER_ID, phoneNumberId).replace("Hi, I'd like to check on my order.", text);
      assert.equal((await postCloud(app, body)).statusCode, 200);
      replies.push(text);
    }
    await processAll(ctx);
    const keyWith = async (scopes: Parameters<typeof createApiKey>[1]['scopes']) => `Bearer ${(await createApiKey(fx.db, { workspaceId, name: 'k', scopes })).key}`;
    const list = (query: string, auth = authorization) => app.inject({ method: 'GET', url: `/v1/messages?${query}`, headers: { authorization: auth } });
    return { app, workspaceId, replies, keyWith, list };
  }

  it('GET /v1/messages?direction=inbound&include=content returns each reply with its text in one request', async () => {
    const { replies, list } = await env();
    const res = await list('direction=inbound&include=content');
    assert.equal(res.statusCode, 200, res.body);
    const data = res.json().data as Array<{ direction: string; type: string; content: { text?: string } | null }>;
    assert.equal(data.length, 3);
    assert.ok(data.every((m) => m.direction === 'inbound' && m.type === 'text'));
    // Newest first.
    assert.deepEqual(data.map((m) => m.content?.text), [...replies].reverse());
  });

  it('without include=content the list carries no content', async () => {
    const { list } = await env();
    const res = await list('direction=inbound');
    assert.equal(res.statusCode, 200, res.body);
    const data = res.json().data as Array<Record<string, unknown>>;
    assert.equal(data.length, 3);
    assert.ok(data.every((m) => !('content' in m)));
  });

  it('pages with content follow nextCursor; a page larger than the content cap is a 400 naming /limit', async () => {
    const { list, replies } = await env();
    const first = (await list('direction=inbound&include=content&limit=2')).json();
    assert.equal(first.data.length, 2);
    assert.ok(first.nextCursor);
    const second = (await list(`direction=inbound&include=content&limit=2&before=${first.nextCursor}`)).json();
    assert.deepEqual(second.data.map((m: { content: { text: string } }) => m.content.text), [replies[0]]);
    const tooMany = await list('direction=inbound&include=content&limit=500');
    assert.equal(tooMany.statusCode, 400);
    assert.equal(tooMany.json().error.code, 'REQUEST_INVALID');
    assert.equal(tooMany.json().error.field, '/limit');
    // Without content the larger page is still allowed.
    assert.equal((await list('direction=inbound&limit=500')).statusCode, 200);
  });

  it('content is permission-checked: a key without messages:read gets 403, and cancel with a write-only key shows no content', async () => {
    const { app, list, keyWith } = await env();
    const contactsOnly = await keyWith(['contacts:read']);
    const res = await list('direction=inbound&include=content', contactsOnly);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'AUTH_SCOPE_MISSING');
    const reader = await keyWith(['messages:read']);
    const read = await list('direction=inbound&include=content', reader);
    assert.equal(read.statusCode, 200);
    assert.ok(read.json().data.every((m: { content: unknown }) => m.content !== null));

    // A key that may send and cancel but not read: the cancel answer leaves the content out.
    const writer = await keyWith(['messages:write']);
    const ws = (await app.inject({ method: 'POST', url: '/v1/messages', headers: { authorization: writer }, payload: { to: '+16505551234', type: 'template', template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'secret' }] }] }, sendAt: new Date(Date.now() + 3_600_000).toISOString() } })).json();
    const cancelled = await app.inject({ method: 'POST', url: `/v1/messages/${ws.id}/cancel`, headers: { authorization: writer } });
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    assert.equal(cancelled.json().content, null);
    const byReader = await app.inject({ method: 'GET', url: `/v1/messages/${ws.id}`, headers: { authorization: reader } });
    assert.equal(byReader.json().content.payload.components[0].parameters[0].text, 'secret');
  });
});

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { insertSender, webhookContext } from '../webhooks/helpers.js';
import { customerWrites } from '../conversations/helpers.js';
import { insertMessage } from './fixtures.js';
import { createApiKey } from '../../src/access/api-key-queries.js';

let senders = 0;

interface Item { kind: string; at: string; id: string; [field: string]: unknown }

describeStorage('GET /v1/contacts/{id}/timeline', (fx) => {
  it('merges messages, status changes, consent records and conversations newest first, and pages through them without loss or repeat', async () => {
    const ctx = webhookContext(fx);
    const app = await fx.app(ctx);
    const { workspaceId, authorization } = await fx.workspace();
    const phoneNumberId = `1088${String(++senders).padStart(11, '0')}`;
    const senderId = await insertSender(fx.db, ctx.keyring, { workspaceId, phoneNumberId });
    const now = ctx.clock.now();
    await customerWrites(app, ctx, { from: '16505550611', phoneNumberId, text: 'Hello there', at: now - 60_000 });
    const contact = (await app.inject({ url: '/v1/contacts', query: { phone: '+16505550611' }, headers: { authorization } })).json().data[0];
    assert.ok(contact, 'the customer became a contact');
    const consent = await app.inject({
      method: 'POST', url: `/v1/contacts/${contact.id}/consent`, headers: { authorization },
      payload: { purpose: 'marketing', channel: 'whatsapp', status: 'granted', source: 'web', effectiveAt: new Date(now - 30_000).toISOString() },
    });
    assert.equal(consent.statusCode, 201);
    // Two messages at the same instant: the page boundary falls between items of one time.
    const same = now - 10_000;
    const outbound = await insertMessage(fx.db, ctx.keyring, { workspaceId, senderId, contactId: contact.id, body: 'Thanks!', createdAt: same });
    await insertMessage(fx.db, ctx.keyring, { workspaceId, senderId, contactId: contact.id, body: 'More', createdAt: same });

    const res = await app.inject({ url: `/v1/contacts/${contact.id}/timeline`, headers: { authorization } });
    assert.equal(res.statusCode, 200);
    const body = res.json() as { contactId: string; data: Item[]; nextCursor: string | null };
    assert.equal(body.contactId, contact.id);
    assert.equal(body.nextCursor, null);
    const kinds = new Set(body.data.map((i) => i.kind));
    assert.deepEqual([...kinds].sort(), ['consent', 'conversation', 'message', 'status']);
    const times = body.data.map((i) => Date.parse(i.at));
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
    const record = body.data.find((i) => i.kind === 'consent')!;
    assert.equal(record.id, consent.json().record.id);
    assert.deepEqual([record.purpose, record.channel, record.status, record.source], ['marketing', 'whatsapp', 'granted', 'web']);
    const message = body.data.find((i) => i.kind === 'message' && i.id === outbound)!;
    assert.deepEqual([message.direction, message.type, message.status, message.senderId], ['outbound', 'text', 'delivered', senderId]);
    assert.ok(body.data.some((i) => i.kind === 'status' && i.messageId === outbound && i.status === 'delivered'));
    assert.ok(body.data.some((i) => i.kind === 'message' && i.direction === 'inbound'));
    assert.equal(body.data.find((i) => i.kind === 'conversation')!.senderId, senderId);
    assert.ok(!JSON.stringify(body).includes('Hello there'), 'no message body');

    // One item a page: the same items in the same order.
    const paged: Item[] = [];
    let cursor: string | null = null;
    do {
      const page: { statusCode: number; json(): { data: Item[]; nextCursor: string | null } } = await app.inject({ url: `/v1/contacts/${contact.id}/timeline`, query: { limit: '1', ...(cursor ? { cursor } : {}) }, headers: { authorization } });
      assert.equal(page.statusCode, 200);
      paged.push(...page.json().data);
      cursor = page.json().nextCursor;
    } while (cursor);
    assert.deepEqual(paged, body.data);

    const bad = await app.inject({ url: `/v1/contacts/${contact.id}/timeline`, query: { cursor: 'not-a-cursor' }, headers: { authorization } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'CURSOR_INVALID');
  });

  it('needs contacts.read, shows conversations only with conversations.read, and knows no contact of another workspace', async () => {
    const ctx = webhookContext(fx);
    const app = await fx.app(ctx);
    const admin = await fx.workspace();
    const phoneNumberId = `1088${String(++senders).padStart(11, '0')}`;
    await insertSender(fx.db, ctx.keyring, { workspaceId: admin.workspaceId, phoneNumberId });
    await customerWrites(app, ctx, { from: '16505550612', phoneNumberId });
    const contact = (await app.inject({ url: '/v1/contacts', query: { phone: '+16505550612' }, headers: { authorization: admin.authorization } })).json().data[0];

    const { key } = await createApiKey(fx.db, { workspaceId: admin.workspaceId, name: 'reader', scopes: ['contacts:read'] });
    const reader = await app.inject({ url: `/v1/contacts/${contact.id}/timeline`, headers: { authorization: `Bearer ${key}` } });
    assert.equal(reader.statusCode, 200);
    const readerKinds = (reader.json().data as Item[]).map((i) => i.kind);
    assert.ok(readerKinds.includes('message'));
    assert.ok(!readerKinds.includes('conversation'), 'a key without conversations.read sees no conversation');

    const { key: templatesOnly } = await createApiKey(fx.db, { workspaceId: admin.workspaceId, name: 'templates', scopes: ['templates:read'] });
    assert.equal((await app.inject({ url: `/v1/contacts/${contact.id}/timeline`, headers: { authorization: `Bearer ${templatesOnly}` } })).statusCode, 403);

    const other = await fx.workspace();
    const foreign = await app.inject({ url: `/v1/contacts/${contact.id}/timeline`, headers: { authorization: other.authorization } });
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.json().error.code, 'CONTACT_NOT_FOUND');
  });
});

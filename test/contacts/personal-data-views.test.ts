import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { createApiKey } from '../../src/access/api-key-queries.js';
import type { ParleyApp } from '../../src/http/types.js';
import { makeUser, signIn } from '../people/helpers.js';

// Field-level least privilege: whoever reads contacts without contacts.read_pii (an analyst; a key
// without the contacts:read scope) sees them with the phone, WhatsApp id, name, email and attributes
// withheld, cannot search by those values, and reads consent records without their evidence.

const PERSONAL = ['+5592987654321', '5592987654321', '987654321', 'Ana Souza', 'ana@example.com', 'Itacoatiara', '203.0.113.9', 'TestBrowser'];

describeStorage('contacts without the permission to read personal data', (fx) => {
  let app: ParleyApp;
  let admin: string;
  let workspaceId: string;
  let contactId: string;
  const as: Record<string, Record<string, string>> = {};

  before(async () => {
    const ctx = fx.context();
    app = await fx.app(ctx);
    ({ authorization: admin, workspaceId } = await fx.workspace(['admin']));
    const created = await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization: admin }, payload: { phone: '+5592987654321', name: 'Ana Souza', email: 'ana@example.com', tags: ['vip'], attributes: { city: 'Itacoatiara' } } });
    assert.equal(created.statusCode, 201, created.body);
    contactId = created.json().id;
    const consent = await app.inject({ method: 'POST', url: `/v1/contacts/${contactId}/consent`, headers: { authorization: admin }, payload: { purpose: 'marketing', channel: 'whatsapp', status: 'granted', proof: { ip: '203.0.113.9', userAgent: 'TestBrowser/1' } } });
    assert.equal(consent.statusCode, 201, consent.body);
    for (const role of ['analyst', 'agent', 'supervisor'] as const) {
      const user = await makeUser(ctx, workspaceId, role);
      as[role] = { cookie: (await signIn(app, user.email)).cookie };
    }
    for (const scope of ['contacts:read', 'contacts:write'] as const) {
      as[scope] = { authorization: `Bearer ${(await createApiKey(fx.db, { workspaceId, name: scope, scopes: [scope] })).key}` };
    }
  });

  const get = (who: string, url: string) => app.inject({ url, headers: as[who] });

  it('an analyst reads contacts with the personal fields null, listed in `redacted`, and nothing personal in the answer', async () => {
    for (const url of ['/v1/contacts', `/v1/contacts/${contactId}`]) {
      const res = await get('analyst', url);
      assert.equal(res.statusCode, 200, res.body);
      const contact = url === '/v1/contacts' ? res.json().data[0] : res.json();
      assert.equal(contact.id, contactId);
      for (const field of ['phone', 'waId', 'name', 'email', 'attributes']) assert.equal(contact[field], null, `${url}: ${field}`);
      assert.deepEqual(contact.redacted, ['phone', 'waId', 'name', 'email', 'attributes']);
      assert.deepEqual(contact.tags, ['vip'], 'what is not personal is still shown');
      for (const value of PERSONAL) assert.ok(!res.body.includes(value), `${url} shows ${value}`);
    }
  });

  it('an analyst may not search by a phone number, an email or an attribute (403 naming contacts.read_pii), but by a tag', async () => {
    for (const query of ['phone=%2B5592987654321', 'email=ana%40example.com', 'attribute=city%3DItacoatiara']) {
      const res = await get('analyst', `/v1/contacts?${query}`);
      assert.equal(res.statusCode, 403, `${query}: ${res.body}`);
      assert.equal(res.json().error.code, 'PERMISSION_MISSING');
      assert.equal(res.json().error.details.requiredPermission, 'contacts.read_pii');
    }
    const byTag = await get('analyst', '/v1/contacts?tag=vip');
    assert.equal(byTag.statusCode, 200);
    assert.equal(byTag.json().data[0].phone, null);
  });

  it('an analyst reads a consent history without its evidence; the other readers with it', async () => {
    const analyst = await get('analyst', `/v1/contacts/${contactId}/consent/history`);
    assert.equal(analyst.statusCode, 200, analyst.body);
    assert.equal(analyst.json().records[0].proof, null);
    for (const value of PERSONAL) assert.ok(!analyst.body.includes(value), `shows ${value}`);
    for (const who of ['agent', 'supervisor', 'contacts:read']) {
      const res = await get(who, `/v1/contacts/${contactId}/consent/history`);
      assert.deepEqual(res.json().records[0].proof, { ip: '203.0.113.9', userAgent: 'TestBrowser/1' }, who);
    }
  });

  it('agents, supervisors and keys with contacts:read see every field, with no `redacted`', async () => {
    for (const who of ['agent', 'supervisor', 'contacts:read']) {
      const one = (await get(who, `/v1/contacts/${contactId}`)).json();
      assert.equal(one.phone, '+5592987654321', who);
      assert.equal(one.waId, '5592987654321', who);
      assert.equal(one.name, 'Ana Souza', who);
      assert.equal(one.email, 'ana@example.com', who);
      assert.deepEqual(one.attributes, { city: 'Itacoatiara' }, who);
      assert.ok(!('redacted' in one), who);
      const found = await get(who, '/v1/contacts?phone=%2B5592987654321');
      assert.equal(found.json().data[0].id, contactId, who);
    }
  });

  it('a key with contacts:write alone gets the contacts it creates and changes with the personal fields withheld', async () => {
    const headers = as['contacts:write'];
    const created = await app.inject({ method: 'POST', url: '/v1/contacts', headers, payload: { phone: '+5592912345678', name: 'Bia Lima' } });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().phone, null);
    assert.ok(!created.body.includes('Bia Lima'));
    const patched = await app.inject({ method: 'PATCH', url: `/v1/contacts/${contactId}`, headers, payload: { tags: ['vip', 'gold'] } });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.deepEqual(patched.json().redacted, ['phone', 'waId', 'name', 'email', 'attributes']);
    assert.deepEqual(patched.json().tags, ['vip', 'gold']);
    for (const value of PERSONAL) assert.ok(!patched.body.includes(value), `shows ${value}`);
    // What was stored is whole: a reader with the permission sees it.
    assert.equal((await get('contacts:read', `/v1/contacts/${created.json().id}`)).json().name, 'Bia Lima');
  });

  it('the OpenAPI document describes the withheld shape', async () => {
    const doc = (await app.inject('/openapi.json')).json();
    const schema = doc.paths['/v1/contacts/{id}'].get.responses['200'].content['application/json'].schema;
    assert.ok(schema.properties.redacted, 'a contact may carry `redacted`');
    assert.equal(schema.properties.attributes.nullable ?? schema.properties.attributes.anyOf?.some((s: { type?: string; nullable?: boolean }) => s.type === 'null' || s.nullable), true);
    assert.match(schema.properties.phone.description, /contacts\.read_pii/);
    assert.match(doc.paths['/v1/contacts'].get.description, /contacts\.read_pii/);
  });
});

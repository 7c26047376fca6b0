import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { findContactByWaId, findOrCreateContactByPhone, linkWaId } from '../../src/contacts/contact-queries.js';

describeStorage('contacts API', (fx) => {
  it('creates a contact from a national number and a country, guesses the time zone, and stores personal fields encrypted', async () => {
    const app = await fx.app();
    const { authorization, workspaceId } = await fx.workspace(['contacts:read', 'contacts:write']);
    const res = await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization }, payload: { phone: '(92) 98765-4321', country: 'BR', name: 'Ana Souza', email: 'Ana@Example.com', language: 'pt_BR', tags: ['vip', 'vip', 'newsletter'], attributes: { city: 'Manaus', orders: 3 } } });
    assert.equal(res.statusCode, 201, res.body);
    const c = res.json();
    assert.equal(c.phone, '+5592987654321');
    assert.equal(c.waId, '5592987654321');
    assert.equal(c.country, 'BR');
    assert.equal(c.timeZone, 'America/Manaus');
    assert.equal(c.language, 'pt-BR');
    assert.deepEqual(c.tags, ['vip', 'newsletter']);
    assert.deepEqual(c.attributes, { city: 'Manaus', orders: 3 });
    const row = await fx.db.selectFrom('contacts').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
    for (const column of ['phone', 'wa_id', 'name', 'email'] as const) {
      assert.ok(row[column]?.startsWith('v1.'), `${column} is ciphertext`);
      assert.ok(!row[column]!.includes('87654321') && !row[column]!.includes('Ana'), `${column} holds no plaintext`);
    }
    assert.equal(row.workspace_id, workspaceId);
    const read = await app.inject({ url: `/v1/contacts/${c.id}`, headers: { authorization } });
    assert.equal(read.json().name, 'Ana Souza');
  });

  it('a time zone given by the caller overrides the guess, and a made-up one is refused naming the field', async () => {
    const app = await fx.app();
    const { authorization } = await fx.workspace();
    const res = await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization }, payload: { phone: '+14155552671', timeZone: 'Europe/Lisbon' } });
    assert.equal(res.json().timeZone, 'Europe/Lisbon');
    const bad = await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization }, payload: { phone: '+14155552672', timeZone: 'Mars/Base' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'CONTACT_FIELD_INVALID');
    assert.equal(bad.json().error.field, '/timeZone');
  });

  it('refuses an impossible phone number, and a contact with no phone, wa_id or e-mail, with what to do', async () => {
    const app = await fx.app();
    const { authorization } = await fx.workspace();
    const bad = await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization }, payload: { phone: '12345' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.field, '/phone');
    assert.match(bad.json().error.message, /country/);
    const none = await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization }, payload: { name: 'Nobody' } });
    assert.equal(none.statusCode, 400);
    assert.match(none.json().error.message, /phone number, a WhatsApp id .* or an e-mail/);
  });

  it('a Brazilian number written with and without the 9th digit resolves to one contact, by API, by find-or-create and by wa_id', async () => {
    const app = await fx.app();
    const ctx = fx.context();
    const { authorization, workspaceId } = await fx.workspace();
    const created = await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization }, payload: { phone: '+55 11 98765-4321' } });
    const id = created.json().id;
    const again = await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization }, payload: { phone: '+55 11 8765-4321' } });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'CONTACT_EXISTS');
    assert.equal(again.json().error.details.contactId, id);
    const found = await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, '+551187654321');
    assert.deepEqual(found, { id, workspaceId, created: false });
    // WhatsApp reports the old 8-digit wa_id: the contact is found, and the wa_id linked to it.
    assert.equal((await findContactByWaId(ctx.db, ctx.keyring, workspaceId, '551187654321'))?.id, id);
    assert.equal((await app.inject({ url: `/v1/contacts/${id}`, headers: { authorization } })).json().waId, '551187654321');
    const search = await app.inject({ url: '/v1/contacts?phone=%2B551187654321', headers: { authorization } });
    assert.deepEqual(search.json().data.map((c: { id: string }) => c.id), [id]);
    const count = await fx.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
  });

  it('find-or-create from an 8-digit Brazilian wa_id stores the canonical number and creates once under concurrency', async () => {
    const ctx = fx.context();
    const { workspaceId } = await fx.workspace();
    const results = await Promise.all(['+552187654321', '+5521987654321', '+552187654321'].map((n) => findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, n)));
    assert.equal(new Set(results.map((r) => r.id)).size, 1);
    assert.equal(results.filter((r) => r.created).length, 1);
    const row = await fx.db.selectFrom('contacts').selectAll().where('id', '=', results[0].id).executeTakeFirstOrThrow();
    assert.equal(await ctx.keyring.decrypt(workspaceId, row.phone!), '+5521987654321');
  });

  it('a contact that moved to a new WhatsApp id no longer answers to its old number\'s wa_id', async () => {
    const ctx = fx.context();
    const { workspaceId } = await fx.workspace();
    const { id } = await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, '+16505551234');
    await linkWaId(ctx.db, ctx.keyring, workspaceId, id, '12195555358');
    assert.equal(await findContactByWaId(ctx.db, ctx.keyring, workspaceId, '16505551234'), undefined);
    assert.equal((await findContactByWaId(ctx.db, ctx.keyring, workspaceId, '12195555358'))?.id, id, 'and the link was not undone');
  });

  it('a Mexican wa_id with the old 1 finds the contact created from the 10-digit number', async () => {
    const app = await fx.app();
    const ctx = fx.context();
    const { authorization, workspaceId } = await fx.workspace();
    const created = await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization }, payload: { phone: '+52 55 1234 5678' } });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal((await findContactByWaId(ctx.db, ctx.keyring, workspaceId, '5215512345678'))?.id, created.json().id);
  });

  it('searches by phone, e-mail, tag and attribute, and pages through with an opaque cursor', async () => {
    const app = await fx.app();
    const { authorization } = await fx.workspace();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization }, payload: { phone: `+1415555010${i}`, email: `p${i}@example.com`, tags: i % 2 ? ['odd'] : ['even'], attributes: { tier: i < 3 ? 'gold' : 'silver', n: i } } });
      ids.push(res.json().id);
    }
    const q = async (query: string) => (await app.inject({ url: `/v1/contacts?${query}`, headers: { authorization } })).json();
    assert.deepEqual((await q('email=P3@EXAMPLE.com')).data.map((c: { id: string }) => c.id), [ids[3]]);
    assert.deepEqual((await q('tag=odd')).data.map((c: { id: string }) => c.id), [ids[1], ids[3], ids[5]]);
    assert.deepEqual((await q('attribute=tier%3Dgold')).data.map((c: { id: string }) => c.id), ids.slice(0, 3));
    assert.deepEqual((await q('attribute=n%3D4')).data.map((c: { id: string }) => c.id), [ids[4]]);
    assert.deepEqual((await q('phone=%2B14155550106&tag=even')).data.map((c: { id: string }) => c.id), [ids[6]]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Array<{ id: string }>; nextCursor: string | null } = await q(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(page.data.length <= 3);
      seen.push(...page.data.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, ids);
    const bad = await app.inject({ url: '/v1/contacts?cursor=nonsense', headers: { authorization } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'CURSOR_INVALID');
  });

  it('keeps workspaces apart: another workspace neither finds nor reads the contact', async () => {
    const app = await fx.app();
    const a = await fx.workspace();
    const b = await fx.workspace();
    const created = (await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization: a.authorization }, payload: { phone: '+447911123456' } })).json();
    assert.equal((await app.inject({ url: `/v1/contacts/${created.id}`, headers: { authorization: b.authorization } })).statusCode, 404);
    assert.equal((await app.inject({ url: '/v1/contacts?phone=%2B447911123456', headers: { authorization: b.authorization } })).json().data.length, 0);
    assert.equal((await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization: b.authorization }, payload: { phone: '+447911123456' } })).statusCode, 201);
  });

  it('updates: attributes merge (null removes), tags replace, a new phone re-derives wa_id and time zone, a taken phone is a conflict', async () => {
    const app = await fx.app();
    const { authorization } = await fx.workspace();
    const a = (await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization }, payload: { phone: '+5511987650001', attributes: { a: 1, b: 'x' }, tags: ['t1'] } })).json();
    const b = (await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization }, payload: { phone: '+5511987650002' } })).json();
    const patched = await app.inject({ method: 'PATCH', url: `/v1/contacts/${a.id}`, headers: { authorization }, payload: { attributes: { b: null, c: true }, tags: ['t2'], name: 'Bia', phone: '+14155550199' } });
    assert.equal(patched.statusCode, 200, patched.body);
    const p = patched.json();
    assert.deepEqual(p.attributes, { a: 1, c: true });
    assert.deepEqual(p.tags, ['t2']);
    assert.equal(p.name, 'Bia');
    assert.equal(p.waId, '14155550199');
    assert.equal(p.timeZone, 'America/Los_Angeles');
    assert.equal((await app.inject({ url: '/v1/contacts?tag=t1', headers: { authorization } })).json().data.length, 0);
    const taken = await app.inject({ method: 'PATCH', url: `/v1/contacts/${b.id}`, headers: { authorization }, payload: { phone: '+14155550199' } });
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.json().error.details.contactId, a.id);
    const cleared = await app.inject({ method: 'PATCH', url: `/v1/contacts/${a.id}`, headers: { authorization }, payload: { name: null } });
    assert.equal(cleared.json().name, null);
    assert.equal((await app.inject({ method: 'PATCH', url: '/v1/contacts/ct_01J0000000000000000000000', headers: { authorization }, payload: { name: 'x' } })).statusCode, 404);
  });

  it('needs contacts:write to change and contacts:read to read', async () => {
    const app = await fx.app();
    const reader = await fx.workspace(['contacts:read']);
    const res = await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization: reader.authorization }, payload: { phone: '+14155550100' } });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.details.requiredScope, 'contacts:write');
    const writer = await fx.workspace(['messages:write']);
    assert.equal((await app.inject({ url: '/v1/contacts', headers: { authorization: writer.authorization } })).statusCode, 403);
  });
});

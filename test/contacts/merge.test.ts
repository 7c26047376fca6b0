import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { insertMessage, insertSender } from './fixtures.js';
import { findContactByWaId, findOrCreateContactByPhone } from '../../src/contacts/contact-queries.js';
import { mergeContacts } from '../../src/contacts/merge-contacts.js';

describeStorage('merging contacts', (fx) => {
  it('merge keeps both histories: messages, consent, windows; the merged contact points at the survivor; who merged is recorded', async () => {
    const app = await fx.app();
    const ctx = fx.context();
    const { authorization, workspaceId } = await fx.workspace();
    const senderId = await insertSender(fx.db, ctx.keyring, workspaceId);
    const a = (await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization }, payload: { email: 'ana@example.com', name: 'Ana', tags: ['web'], attributes: { tier: 'gold' } } })).json();
    const b = (await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization }, payload: { phone: '+5511987654321', name: 'Ana S.', tags: ['store'], attributes: { tier: 'silver', city: 'SP' } } })).json();
    const mA = await insertMessage(fx.db, ctx.keyring, { workspaceId, senderId, contactId: a.id, body: 'hello from the web account' });
    const mB = await insertMessage(fx.db, ctx.keyring, { workspaceId, senderId, contactId: b.id, body: 'hello from whatsapp', direction: 'inbound' });
    await fx.db.insertInto('service_windows').values({ sender_id: senderId, contact_id: b.id, last_inbound_at: 5000 }).execute();
    await app.inject({ method: 'POST', url: `/v1/contacts/${a.id}/consent`, headers: { authorization }, payload: { purpose: 'marketing', channel: 'email', status: 'granted', source: 'web', wording: 'Newsletter' } });
    await app.inject({ method: 'POST', url: `/v1/contacts/${b.id}/consent`, headers: { authorization }, payload: { purpose: 'marketing', channel: 'whatsapp', status: 'granted', source: 'pos' } });

    const res = await app.inject({ method: 'POST', url: `/v1/contacts/${a.id}/merge`, headers: { authorization }, payload: { contactId: b.id } });
    assert.equal(res.statusCode, 200, res.body);
    const outcome = res.json();
    assert.deepEqual(outcome.moved, { messages: 1, serviceWindows: 1, members: 0 });
    assert.equal(outcome.survivor.name, 'Ana', 'the survivor keeps its own fields');
    assert.equal(outcome.survivor.phone, '+5511987654321', 'and takes what it lacked');
    assert.deepEqual(outcome.survivor.tags.sort(), ['store', 'web']);
    assert.deepEqual(outcome.survivor.attributes, { tier: 'gold', city: 'SP' });

    const merged = (await app.inject({ url: `/v1/contacts/${b.id}`, headers: { authorization } })).json();
    assert.equal(merged.mergedInto, a.id);
    assert.equal(merged.name, 'Ana S.', "the merged contact's own fields are kept");
    const exported = (await app.inject({ url: `/v1/contacts/${a.id}/export`, headers: { authorization } })).json();
    assert.deepEqual(exported.messages.map((m: { id: string }) => m.id).sort(), [mA, mB].sort());
    assert.deepEqual(exported.messages.map((m: { content: { text: { body: string } } }) => m.content.text.body).sort(), ['hello from the web account', 'hello from whatsapp']);
    assert.deepEqual(exported.mergedContacts.map((c: { id: string }) => c.id), [b.id]);
    const consent = (await app.inject({ url: `/v1/contacts/${a.id}/consent/history`, headers: { authorization } })).json();
    assert.deepEqual(consent.records.map((r: { contactId: string }) => r.contactId).sort(), [a.id, b.id].sort(), 'both ledgers stay, each under its own contact');
    const current = (await app.inject({ url: `/v1/contacts/${b.id}/consent`, headers: { authorization } })).json();
    assert.equal(current.contactId, a.id);
    const granted = current.consent.filter((c: { status: string }) => c.status === 'granted').map((c: { channel: string }) => c.channel).sort();
    assert.deepEqual(granted, ['email', 'whatsapp'], 'current consent is derived from both ledgers');
    const windows = await fx.db.selectFrom('service_windows').selectAll().where('sender_id', '=', senderId).execute();
    assert.deepEqual(windows.map((w) => [w.contact_id, w.last_inbound_at]), [[a.id, 5000]]);
    const log = await fx.db.selectFrom('contact_merges').selectAll().where('survivor_id', '=', a.id).execute();
    assert.equal(log.length, 1);
    assert.equal(log[0].merged_id, b.id);
    assert.equal(JSON.parse(log[0].actor).type, 'api_key');
    assert.ok(log[0].merged_at > 0);
    assert.deepEqual(exported.merges.map((m: { id: string }) => m.id), [outcome.mergeId]);

    // Lookups by the merged contact's number or wa_id land on the survivor.
    assert.equal((await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, '+551187654321')).id, a.id);
    assert.equal((await findContactByWaId(ctx.db, ctx.keyring, workspaceId, '5511987654321'))?.id, a.id);
    const list = (await app.inject({ url: '/v1/contacts', headers: { authorization } })).json();
    assert.deepEqual(list.data.map((c: { id: string }) => c.id), [a.id], 'merged contacts are left out of lists');
  });

  it('chains stay one hop, and invalid merges are refused with a reason', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { authorization, workspaceId } = await fx.workspace();
    const ids: string[] = [];
    for (const phone of ['+14155550101', '+14155550102', '+14155550103']) ids.push((await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, phone)).id);
    const actor = { type: 'user' as const, id: 'ops@example.com' };
    await mergeContacts(ctx.db, ctx.keyring, workspaceId, { survivorId: ids[1], mergedId: ids[0], actor });
    await mergeContacts(ctx.db, ctx.keyring, workspaceId, { survivorId: ids[2], mergedId: ids[1], actor });
    const rows = await fx.db.selectFrom('contacts').select(['id', 'merged_into']).where('id', 'in', ids).orderBy('id').execute();
    assert.deepEqual(rows.map((r) => r.merged_into), [ids[2], ids[2], null]);
    assert.equal((await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, '+14155550101')).id, ids[2]);

    const self = await app.inject({ method: 'POST', url: `/v1/contacts/${ids[2]}/merge`, headers: { authorization }, payload: { contactId: ids[2] } });
    assert.equal(self.statusCode, 422);
    const again = await app.inject({ method: 'POST', url: `/v1/contacts/${ids[2]}/merge`, headers: { authorization }, payload: { contactId: ids[0] } });
    assert.equal(again.statusCode, 422);
    assert.equal(again.json().error.code, 'CONTACT_MERGE_INVALID');
    assert.equal(again.json().error.details.mergedInto, ids[2]);
    const missing = await app.inject({ method: 'POST', url: `/v1/contacts/${ids[2]}/merge`, headers: { authorization }, payload: { contactId: 'ct_01J0000000000000000000000' } });
    assert.equal(missing.statusCode, 404);
    const changeMerged = await app.inject({ method: 'PATCH', url: `/v1/contacts/${ids[0]}`, headers: { authorization }, payload: { name: 'x' } });
    assert.equal(changeMerged.statusCode, 409);
    assert.equal(changeMerged.json().error.code, 'CONTACT_MERGED');
  });
});

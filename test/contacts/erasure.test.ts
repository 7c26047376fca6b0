import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describeStorage } from '../harness/storage.js';
import { insertMessage, insertSender } from './fixtures.js';
import { sqlitePath } from '../../src/db/dialect.js';
import { findOrCreateContactByPhone } from '../../src/contacts/contact-queries.js';

describeStorage('erasure and export', (fx) => {
  const PHONE = '+5511976543210';
  const BODY = 'My card ends in 4242 and I live at Rua Augusta 1500';

  async function databaseHolds(needles: string[]): Promise<string[]> {
    if (fx.dialect === 'sqlite') {
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(fx.db);
      const dir = path.dirname(sqlitePath(fx.url));
      const files = readdirSync(dir).map((name) => readFileSync(path.join(dir, name)));
      return needles.filter((needle) => files.some((bytes) => bytes.includes(Buffer.from(needle))));
    }
    const tables = ['contacts', 'messages', 'consent_proofs', 'contact_tags', 'contact_attributes', 'consent_records', 'contact_erasures', 'message_events', 'service_windows', 'media', 'event_outbox'];
    const dump = (await Promise.all(tables.map(async (t) => (await sql<{ t: string }>`select ${sql.raw(t)}::text as t from ${sql.raw(t)}`.execute(fx.db)).rows.map((r) => r.t).join('\n')))).join('\n');
    return needles.filter((needle) => dump.includes(needle));
  }

  it("an erased contact's phone, name, hashes, bodies and proofs are absent from the database, while counts, the ledger and the erasure record stay", async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { authorization, workspaceId } = await fx.workspace();
    const senderId = await insertSender(fx.db, ctx.keyring, workspaceId);
    const created = (await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization }, payload: { phone: PHONE, name: 'Zélia Quintanilha', email: 'zelia@example.com', tags: ['pregnant'], attributes: { cpf: '123.456.789-09' } } })).json();
    const m1 = await insertMessage(fx.db, ctx.keyring, { workspaceId, senderId, contactId: created.id, body: BODY, direction: 'inbound' });
    // A photo she sent, downloaded by webhook ingestion, and the event-webhook payload about her message.
    const photo = await ctx.keyring.encrypt(workspaceId, Buffer.from('JPEG of Zélia').toString('base64'));
    await fx.db.insertInto('media').values({ id: 'med_1', workspace_id: workspaceId, message_id: m1, sender_id: senderId, provider: 'cloud', provider_media_id: '1234567890', source_url: null, mime_type: 'image/jpeg', sha256: 'c0ffee', filename: 'zelia-id-card.jpg', size: 13, state: 'stored', next_attempt_at: 0, error: null, data: photo, created_at: Date.now(), updated_at: Date.now() }).execute();
    await fx.db.insertInto('event_outbox').values({ id: 'evt_1', workspace_id: workspaceId, type: 'message.inbound', payload: JSON.stringify({ messageId: m1, contactId: created.id, text: BODY }), created_at: Date.now() }).execute();
    await fx.db.insertInto('event_outbox').values({ id: 'evt_2', workspace_id: workspaceId, type: 'message.inbound', payload: JSON.stringify({ messageId: 'msg_other', contactId: 'ct_someone_else', text: 'not hers' }), created_at: Date.now() }).execute();
    await insertMessage(fx.db, ctx.keyring, { workspaceId, senderId, contactId: created.id, body: 'Thanks, Zélia!' });
    await app.inject({ method: 'POST', url: `/v1/contacts/${created.id}/consent`, headers: { authorization }, payload: { purpose: 'marketing', channel: 'whatsapp', status: 'granted', source: 'web', proof: { ip: '203.0.113.77', userAgent: 'ZeliaPhone/1.0' } } });
    // A second contact merged into the first: the same person, erased with it.
    const other = await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, '+5511976543211');
    await insertMessage(fx.db, ctx.keyring, { workspaceId, senderId, contactId: other.id, body: 'second account message' });
    await app.inject({ method: 'POST', url: `/v1/contacts/${created.id}/merge`, headers: { authorization }, payload: { contactId: other.id } });

    const row = await fx.db.selectFrom('contacts').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    const message = await fx.db.selectFrom('messages').select('content').where('id', '=', m1).executeTakeFirstOrThrow();
    const proof = await fx.db.selectFrom('consent_proofs').select('proof').executeTakeFirstOrThrow();
    const secrets = [row.phone!, row.phone_hash!, row.name!, row.email!, row.email_hash!, row.wa_id!, row.attributes, row.tags, message.content!, proof.proof, photo, 'zelia-id-card.jpg', 'Rua Augusta'];
    assert.deepEqual(await databaseHolds(secrets), secrets, 'before erasure the stored values are there');
    assert.deepEqual(await databaseHolds(['123.456.789-09', 'pregnant']), [], 'attributes and tags are stored encrypted, never in clear');

    const erased = await app.inject({ method: 'DELETE', url: `/v1/contacts/${created.id}`, headers: { authorization } });
    assert.equal(erased.statusCode, 200, erased.body);
    const erasure = erased.json();
    assert.deepEqual(erasure.detail, { contacts: 2, messagesScrubbed: 3, mediaScrubbed: 1, eventsScrubbed: 1, consentProofsDestroyed: 1, consentRecordsKept: 1 });
    assert.equal(erasure.actor.type, 'api_key');

    assert.deepEqual(await databaseHolds([...secrets, PHONE, '976543210', 'Zélia', '203.0.113.77', 'ZeliaPhone', '123.456.789-09', 'pregnant']), [], 'after erasure none of it is in the database');
    assert.equal((await fx.db.selectFrom('event_outbox').select('payload').where('id', '=', 'evt_2').executeTakeFirstOrThrow()).payload.includes('not hers'), true, "another contact's event is untouched");

    // Aggregate counts stay: the message rows keep status and timestamps.
    const messages = await fx.db.selectFrom('messages').select(['status', 'content', 'created_at']).where('workspace_id', '=', workspaceId).execute();
    assert.equal(messages.length, 3);
    assert.ok(messages.every((m) => m.content === null && m.status && m.created_at > 0));
    // The ledger stays (without proof), and so does the erasure log, without personal data.
    assert.equal((await fx.db.selectFrom('consent_records').selectAll().where('workspace_id', '=', workspaceId).execute()).length, 1);
    const log = await fx.db.selectFrom('contact_erasures').selectAll().where('workspace_id', '=', workspaceId).execute();
    assert.equal(log.length, 1);
    assert.equal(log[0].contact_id, created.id);

    const read = (await app.inject({ url: `/v1/contacts/${created.id}`, headers: { authorization } })).json();
    assert.deepEqual([read.phone, read.name, read.email, read.waId, read.tags, read.attributes], [null, null, null, null, [], {}]);
    assert.ok(read.erasedAt);
    assert.equal((await app.inject({ url: `/v1/contacts?phone=${encodeURIComponent(PHONE)}`, headers: { authorization } })).json().data.length, 0);
    const again = await app.inject({ method: 'DELETE', url: `/v1/contacts/${created.id}`, headers: { authorization } });
    assert.equal(again.json().id, erasure.id, 'erasing again returns the first erasure');
    const patch = await app.inject({ method: 'PATCH', url: `/v1/contacts/${created.id}`, headers: { authorization }, payload: { name: 'back' } });
    assert.equal(patch.statusCode, 410);
    assert.equal(patch.json().error.code, 'CONTACT_ERASED');
    const consent = await app.inject({ method: 'POST', url: `/v1/contacts/${created.id}/consent`, headers: { authorization }, payload: { purpose: 'marketing', channel: 'sms', status: 'granted' } });
    assert.equal(consent.statusCode, 410);
    // The same number writing again is a new person to Parley.
    const fresh = await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, PHONE);
    assert.equal(fresh.created, true);
  });

  it('erasure also drops what is held or queued about her: statuses held for her messages, queued domain events naming her, media not yet downloaded', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { authorization, workspaceId } = await fx.workspace();
    const senderId = await insertSender(fx.db, ctx.keyring, workspaceId);
    const her = (await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization }, payload: { phone: '+5511976540001' } })).json();
    const someone = (await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization }, payload: { phone: '+5511976540002' } })).json();
    const byHash = await insertMessage(fx.db, ctx.keyring, { workspaceId, senderId, contactId: her.id, body: 'one' });
    const byAltHash = await insertMessage(fx.db, ctx.keyring, { workspaceId, senderId, contactId: her.id, body: 'two' });
    const byId = await insertMessage(fx.db, ctx.keyring, { workspaceId, senderId, contactId: her.id, body: 'three', direction: 'inbound' });
    const theirs = await insertMessage(fx.db, ctx.keyring, { workspaceId, senderId, contactId: someone.id, body: 'not hers' });
    await fx.db.updateTable('messages').set({ provider_id_hash: 'hash-of-hers' }).where('id', '=', byHash).execute();
    await fx.db.updateTable('messages').set({ provider_id_hash: 'first-of-hers', provider_alt_id_hash: 'second-of-hers' }).where('id', '=', byAltHash).execute();
    await fx.db.updateTable('messages').set({ provider_id_hash: 'hash-of-theirs' }).where('id', '=', theirs).execute();
    const now = Date.now();
    const held = (hash: string, messageId: string | null) => ({ provider: 'cloud' as const, provider_id_hash: hash, status: 'read', sender_id: senderId, parley_message_id: messageId, item: 'v1.sealed', received_at: now, expires_at: now + 86_400_000 });
    await fx.db.insertInto('pending_statuses').values([held('hash-of-hers', null), held('second-of-hers', null), held('unknown-hash', byId), held('hash-of-theirs', null), held('unknown-too', theirs)]).execute();
    const event = (contactId: string) => ({ event: JSON.stringify({ type: 'message.inbound', workspaceId, senderId, contactId, messageId: 'msg_x', messageType: 'text', receivedAt: now }), created_at: now });
    await fx.db.insertInto('webhook_domain_events').values([event(her.id), event(someone.id)]).execute();
    const media = (id: string, messageId: string) => ({ id, workspace_id: workspaceId, message_id: messageId, sender_id: senderId, provider: 'cloud' as const, provider_media_id: `pm_${id}`, source_url: 'https://media.example/x', mime_type: 'image/jpeg', sha256: null, filename: null, size: null, state: 'pending' as const, next_attempt_at: 0, error: null, data: null, created_at: now, updated_at: now });
    await fx.db.insertInto('media').values([media('med_hers', byId), media('med_theirs', theirs)]).execute();

    const erased = await app.inject({ method: 'DELETE', url: `/v1/contacts/${her.id}`, headers: { authorization } });
    assert.equal(erased.statusCode, 200, erased.body);
    assert.deepEqual(erased.json().detail, { contacts: 1, messagesScrubbed: 3, mediaScrubbed: 1, eventsScrubbed: 0, consentProofsDestroyed: 0, consentRecordsKept: 0 });

    const left = await fx.db.selectFrom('pending_statuses').select('provider_id_hash').where('sender_id', '=', senderId).orderBy('provider_id_hash').execute();
    assert.deepEqual(left.map((r) => r.provider_id_hash), ['hash-of-theirs', 'unknown-too'], 'statuses held for her messages (by id, second id or Parley id) are gone, others stay');
    const queued = await fx.db.selectFrom('webhook_domain_events').select('event').execute();
    assert.deepEqual(queued.map((r) => JSON.parse(r.event) as { workspaceId: string; contactId: string }).filter((e) => e.workspaceId === workspaceId).map((e) => e.contactId), [someone.id]);
    const files = await fx.db.selectFrom('media').select(['id', 'state', 'error', 'provider_media_id', 'source_url']).where('workspace_id', '=', workspaceId).orderBy('id').execute();
    assert.deepEqual(files, [
      { id: 'med_hers', state: 'failed', error: 'erased on request', provider_media_id: null, source_url: null },
      { id: 'med_theirs', state: 'pending', error: null, provider_media_id: 'pm_med_theirs', source_url: 'https://media.example/x' },
    ]);
    const hashes = await fx.db.selectFrom('messages').select(['id', 'provider_id_hash', 'provider_alt_id_hash']).where('id', 'in', [byHash, byAltHash, theirs]).execute();
    assert.deepEqual(Object.fromEntries(hashes.map((m) => [m.id, [m.provider_id_hash, m.provider_alt_id_hash]])), { [byHash]: [null, null], [byAltHash]: [null, null], [theirs]: ['hash-of-theirs', null] });
  });

  it('exports everything held about a contact, decrypted', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { authorization, workspaceId } = await fx.workspace(['contacts:read', 'contacts:write', 'consent:write']);
    const senderId = await insertSender(fx.db, ctx.keyring, workspaceId);
    const c = (await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization }, payload: { phone: '+4915112345678', name: 'Jörg', attributes: { plan: 'pro' } } })).json();
    const m = await insertMessage(fx.db, ctx.keyring, { workspaceId, senderId, contactId: c.id, body: 'Wo ist mein Paket?', direction: 'inbound' });
    await app.inject({ method: 'POST', url: `/v1/contacts/${c.id}/consent`, headers: { authorization }, payload: { purpose: 'marketing', channel: 'email', status: 'granted', source: 'web', wording: 'Newsletter abonnieren', proof: { formId: 'footer', ip: '198.51.100.4' } } });
    const res = await app.inject({ url: `/v1/contacts/${c.id}/export`, headers: { authorization } });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="contact-ct_/);
    const doc = res.json();
    assert.equal(doc.contact.phone, '+4915112345678');
    assert.equal(doc.contact.name, 'Jörg');
    assert.deepEqual(doc.contact.attributes, { plan: 'pro' });
    assert.equal(doc.consent.current.marketing.email.status, 'granted');
    assert.equal(doc.consent.history[0].wording, 'Newsletter abonnieren');
    assert.deepEqual(doc.consent.history[0].proof, { formId: 'footer', ip: '198.51.100.4' });
    assert.equal(doc.messages.length, 1);
    assert.equal(doc.messages[0].id, m);
    assert.deepEqual(doc.messages[0].content, { text: { body: 'Wo ist mein Paket?' } });
    assert.equal(doc.messages[0].events[0].status, 'received');
    assert.deepEqual(doc.messages[0].media, []);
    assert.deepEqual(doc.merges, []);
    assert.deepEqual(doc.erasures, []);
    assert.equal((await app.inject({ url: '/v1/contacts/ct_01J0000000000000000000000/export', headers: { authorization } })).statusCode, 404);
  });
});

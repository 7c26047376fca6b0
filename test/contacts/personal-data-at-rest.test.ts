import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describeStorage, type StorageFixture } from '../harness/storage.js';
import { sqlitePath } from '../../src/db/dialect.js';
import { createSender } from '../../src/senders/sender-queries.js';
import { Dispatcher } from '../../src/outbound/dispatch/dispatcher.js';
import { GATES as OUTBOUND_GATES } from '../../src/main/modules.js';
import { newWamid, newWebKey } from '../../src/emulator/shared/ids.js';
import { FakeProvider, waitFor } from '../outbound/fake-provider.js';
import { senderNumberId } from '../../src/channels/sender-identity.js';
import { pidHash, postCloud, processAll, webhookContext } from '../webhooks/helpers.js';
import { indexWorkspace, SETTLE_MS } from '../../src/search/indexer.js';
import { messagesForIndexing } from '../../src/messages/messages-for-indexing.js';
import { contactsForIndexing } from '../../src/contacts/contacts-for-indexing.js';

// Acceptance of "Right by default", items 1-4: a contact with WhatsApp messages in both directions on
// both providers (Cloud API and UltraMsg), a reply quoting a wamid, statuses, attributes, tags and
// consent with proof. Live, the database files (SQLite: database, WAL and the whole data directory after
// a checkpoint; PostgreSQL: a pg_dump) hold none of it in clear, only ciphertext and keyed hashes; erased,
// not even those.

/** Base64 runs that any encoding of `digits` contains, whatever its alignment inside the encoded bytes. */
function base64Fragments(digits: string): string[] {
  const out: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift, 0xff), Buffer.from(digits)]).toString('base64');
    // Drop the characters that mix in the neighbouring bytes: the first group touched by the padding bytes, the last group.
    const inner = encoded.slice(Math.ceil((shift * 4) / 3) + (shift ? 1 : 0), encoded.length - 4);
    if (inner.length >= 8) out.push(inner);
  }
  return out;
}

/** Which needles the stored bytes contain: SQLite's files after a TRUNCATE checkpoint, or a pg_dump. */
async function storageHolds(fx: StorageFixture, needles: string[]): Promise<string[]> {
  let haystacks: Buffer[];
  if (fx.dialect === 'sqlite') {
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(fx.db);
    const dir = path.dirname(sqlitePath(fx.url));
    haystacks = readdirSync(dir)
      .map((name) => path.join(dir, name))
      .filter((file) => statSync(file).isFile())
      .map((file) => readFileSync(file));
    assert.ok(haystacks.length >= 2, 'the database and its WAL are searched');
  } else {
    haystacks = [execFileSync('/usr/bin/pg_dump', ['--no-owner', '--no-privileges', fx.url], { maxBuffer: 256 * 1024 * 1024 })];
  }
  return needles.filter((needle) => haystacks.some((bytes) => bytes.includes(Buffer.from(needle, 'utf8'))));
}

interface Person {
  e164: string;
  national: string[];
  waId: string;
}

describeStorage('personal data at rest', (fx) => {
  async function scenario(person: Person) {
    const ctx = webhookContext(fx);
    const app = await fx.app(ctx);
    const { workspaceId, authorization } = await fx.workspace();
    const tag = randomBytes(3).toString('hex');
    const cloud = await createSender(ctx.db, ctx.keyring, { workspaceId, name: 'cloud', provider: 'cloud', baseUrl: 'http://127.0.0.1:9', graphVersion: 'v23.0', phoneNumberId: `pn${tag}`, wabaId: 'waba1', credentials: { accessToken: 'token' }, mps: 80 });
    const ultraSecret = `ultra-secret-${tag}`;
    const ultra = await createSender(ctx.db, ctx.keyring, { workspaceId, name: 'ultramsg', provider: 'ultramsg', baseUrl: 'http://127.0.0.1:9', instanceId: `instance${tag}`, credentials: { token: 'token' }, webhookSecret: ultraSecret, mps: 10 });

    const text = {
      cloudIn: `Cloud inbound ${tag}: my parcel is at Rua Augusta 1500`,
      ultraIn: `UltraMsg inbound ${tag}: the door code is 4711`,
      cloudOut: `Cloud reply ${tag}: your order ships today`,
      ultraOut: `UltraMsg reply ${tag}: thanks for writing`,
      quoted: `Quoting ${tag}: great, thank you`,
    };
    const name = `Zélia Quintanilha ${tag}`;
    const email = `zelia.${tag}@example.com`;
    const attributes = { address: `Rua Augusta 1500 apt ${tag}`, note: `ATTRSECRET-${tag}` };
    const tags = [`pregnant-${tag}`];

    const created = await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization }, payload: { phone: person.e164, name, email, attributes, tags } });
    assert.equal(created.statusCode, 201, created.body);
    const contactId = created.json().id as string;
    const consent = await app.inject({ method: 'POST', url: `/v1/contacts/${contactId}/consent`, headers: { authorization }, payload: { purpose: 'marketing', channel: 'whatsapp', status: 'granted', source: 'web', proof: { ip: '203.0.113.77', userAgent: `ZeliaPhone/${tag}` } } });
    assert.equal(consent.statusCode, 201, consent.body);

    // Inbound on both providers (they open the service windows).
    const cloudInId = newWamid(person.waId);
    const cloudValue = (messages: unknown[]) => JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: 'waba1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: senderNumberId(cloud) }, contacts: [{ profile: { name }, wa_id: person.waId }], messages } }] }],
    });
    const at = Math.floor(Date.now() / 1000);
    assert.equal((await postCloud(app, cloudValue([{ from: person.waId, id: cloudInId, timestamp: String(at), type: 'text', text: { body: text.cloudIn } }]))).statusCode, 200);
    const ultraInId = `false_${person.waId}@c.us_${newWebKey()}`;
    const ultraPost = (payload: unknown) => app.inject({ method: 'POST', url: `/webhooks/whatsapp/ultramsg?secret=${ultraSecret}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
    const ultraIn = await ultraPost({ event_type: 'message_received', instanceId: tag, id: '', referenceId: '', data: { id: ultraInId, from: `${person.waId}@c.us`, to: '15550783881@c.us', pushname: name, type: 'chat', body: text.ultraIn, fromMe: false, quotedMsg: {}, time: at } });
    assert.equal(ultraIn.statusCode, 200, ultraIn.body);
    await processAll(ctx);

    // Outbound on both providers, through the dispatcher; the providers answer with ids in their real formats.
    const cloudOutId = newWamid(person.waId);
    const ultraRootId = String(Date.now());
    const ultraAckId = `true_${person.waId}@c.us_${newWebKey()}`;
    const dispatcher = new Dispatcher(ctx, {
      gates: OUTBOUND_GATES,
      adapters: { cloud: new FakeProvider('cloud', () => ({ ok: true, providerMessageId: cloudOutId })), ultramsg: new FakeProvider('ultramsg', () => ({ ok: true, providerMessageId: ultraRootId })) },
    });
    await ctx.db.updateTable('senders').set({ status: 'disabled' }).where('workspace_id', '!=', workspaceId).execute();
    const send = async (from: string, body: string) => {
      const res = await app.inject({ method: 'POST', url: '/v1/messages', headers: { authorization }, payload: { to: person.e164, from, type: 'text', text: { body } } });
      assert.equal(res.statusCode, 202, res.body);
      return res.json().id as string;
    };
    const cloudOut = await send(cloud.id, text.cloudOut);
    const ultraOut = await send(ultra.id, text.ultraOut);
    dispatcher.start();
    try {
      await waitFor(async () => (await ctx.db.selectFrom('messages').select('id').where('id', 'in', [cloudOut, ultraOut]).where('status', '=', 'accepted').execute()).length === 2, 10_000, 'both sends accepted');
    } finally {
      await dispatcher.stop();
    }

    // Statuses by webhook, matched by the keyed hash of the provider's id; a reply quoting the wamid.
    const statusBody = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: 'waba1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: senderNumberId(cloud) }, statuses: [{ id: cloudOutId, status: 'delivered', timestamp: String(at + 2), recipient_id: person.waId }] } }] }],
    });
    assert.equal((await postCloud(app, statusBody)).statusCode, 200);
    assert.equal((await ultraPost({ event_type: 'message_ack', instanceId: tag, id: ultraRootId, referenceId: '', data: { id: ultraAckId, from: '15550783881@c.us', to: `${person.waId}@c.us`, ack: 'device', type: 'chat', body: text.ultraOut, fromMe: true, time: at + 3 } })).statusCode, 200);
    const quotedId = newWamid(person.waId);
    assert.equal((await postCloud(app, cloudValue([{ from: person.waId, id: quotedId, timestamp: String(at + 4), type: 'text', text: { body: text.quoted }, context: { from: person.waId, id: cloudOutId } }]))).statusCode, 200);
    await processAll(ctx);

    // The search indexer's pass (a background worker in a running Parley): names and words as keyed hashes.
    await indexWorkspace(ctx.db, ctx.keyring, { messages: messagesForIndexing, contacts: contactsForIndexing }, workspaceId, { owner: 'test', now: ctx.clock.now() + SETTLE_MS + 1 });

    const needles = [
      person.e164, ...person.national, person.waId, `${person.waId}@c.us`, ...base64Fragments(person.waId),
      name, name.split(' ')[1], email, ...Object.values(attributes), ...tags, ...Object.values(text),
      cloudInId, cloudOutId, quotedId, ultraInId, ultraAckId, '203.0.113.77', `ZeliaPhone/${tag}`,
    ];
    return { ctx, app, workspaceId, authorization, contactId, attributes, tags, cloudOut, ultraOut, cloudOutId, ultraRootId, needles };
  }

  it('live data: only ciphertext and keyed hashes are stored, and everything still works through them', async () => {
    const s = await scenario({ e164: '+33612345678', national: ['0612345678', '06 12 34 56 78'], waId: '33612345678' });
    const { ctx, app, authorization, workspaceId } = s;

    // Matching through keyed hashes worked: statuses applied, the reply linked to the quoted message.
    const statuses = await ctx.db.selectFrom('messages').select(['id', 'status']).where('id', 'in', [s.cloudOut, s.ultraOut]).orderBy('id').execute();
    assert.deepEqual(statuses.map((m) => m.status), ['delivered', 'delivered']);
    const reply = await ctx.db.selectFrom('messages').select('reply_to').where('workspace_id', '=', workspaceId).where('direction', '=', 'inbound').where('reply_to', 'is not', null).executeTakeFirstOrThrow();
    assert.equal(reply.reply_to, s.cloudOut);
    // The caller still gets the real provider ids back.
    const view = (await app.inject({ url: `/v1/messages/${s.cloudOut}`, headers: { authorization } })).json();
    assert.equal(view.providerMessageId, s.cloudOutId);
    assert.equal((await app.inject({ url: `/v1/messages/${s.ultraOut}`, headers: { authorization } })).json().providerMessageId, s.ultraRootId);
    // Segments by tag and attribute still find the contact.
    const byTag = (await app.inject({ url: `/v1/contacts?tag=${encodeURIComponent(s.tags[0])}`, headers: { authorization } })).json();
    assert.deepEqual(byTag.data.map((c: { id: string }) => c.id), [s.contactId]);
    const byAttribute = (await app.inject({ url: `/v1/contacts?attribute=${encodeURIComponent(`address=${s.attributes.address}`)}`, headers: { authorization } })).json();
    assert.deepEqual(byAttribute.data.map((c: { id: string }) => c.id), [s.contactId]);
    const contact = (await app.inject({ url: `/v1/contacts/${s.contactId}`, headers: { authorization } })).json();
    assert.deepEqual([contact.attributes, contact.tags], [s.attributes, s.tags]);
    // The name and the words are found through the search index's hashes.
    const byName = (await app.inject({ url: '/v1/contacts?name=quintan%20zel', headers: { authorization } })).json();
    assert.deepEqual(byName.data.map((c: { id: string }) => c.id), [s.contactId]);
    const byWords = (await app.inject({ url: '/v1/conversations?q=parcel%20augusta', headers: { authorization } })).json();
    assert.deepEqual([...new Set(byWords.data.map((c: { contactId: string }) => c.contactId))], [s.contactId]);

    // What is stored instead: sealed values and keyed hashes, which are in the files.
    const row = await ctx.db.selectFrom('messages').select(['provider_id_sealed', 'provider_id_hash']).where('id', '=', s.cloudOut).executeTakeFirstOrThrow();
    assert.equal(row.provider_id_hash, pidHash(ctx.db, s.cloudOutId));
    assert.match(row.provider_id_sealed!, /^v1\./);
    const contactRow = await ctx.db.selectFrom('contacts').select(['attributes', 'tags']).where('id', '=', s.contactId).executeTakeFirstOrThrow();
    assert.match(contactRow.attributes, /^v1\./);
    assert.match(contactRow.tags, /^v1\./);
    const stored = [row.provider_id_sealed!, row.provider_id_hash!, contactRow.attributes, contactRow.tags];
    assert.deepEqual(await storageHolds(fx, stored), stored, 'the search sees the stored values');

    assert.deepEqual(await storageHolds(fx, s.needles), [], 'no personal data in clear');
  });

  it('after erasure: the phone number in every form, its base64 fragments, name, e-mail, attributes, tags, bodies, provider ids and search term hashes are gone', async () => {
    const s = await scenario({ e164: '+33698765432', national: ['0698765432', '06 98 76 54 32'], waId: '33698765432' });
    const { ctx, app, authorization } = s;
    const stored = await ctx.db.selectFrom('messages').select(['provider_id_sealed', 'provider_id_hash']).where('contact_id', '=', s.contactId).where('provider_id_hash', 'is not', null).execute();
    assert.equal(stored.length, 5, 'two inbound on Cloud, one on UltraMsg, two outbound: each with its provider id');
    // The UltraMsg send's WhatsApp id, learnt from its ack, is stored as its second id (decision 0007).
    const alt = await ctx.db.selectFrom('messages').select(['provider_alt_id_sealed', 'provider_alt_id_hash']).where('id', '=', s.ultraOut).executeTakeFirstOrThrow();
    assert.match(alt.provider_alt_id_sealed ?? '', /^v1\./);
    const keyed = [...stored.flatMap((r) => [r.provider_id_sealed!, r.provider_id_hash!]), alt.provider_alt_id_sealed!, alt.provider_alt_id_hash!];
    assert.deepEqual(await storageHolds(fx, keyed), keyed, 'before erasure the sealed ids and their hashes are stored');

    // The search index's hashes of her name's terms and her messages' words.
    const nameTerms = await ctx.db.selectFrom('search_name_terms').select('term_hash').where('contact_id', '=', s.contactId).execute();
    const wordTerms = await ctx.db.selectFrom('search_message_terms').select('term_hash').where('contact_id', '=', s.contactId).execute();
    assert.ok(nameTerms.length > 0 && wordTerms.length > 0, 'the indexer wrote her terms');
    const termHashes = [...nameTerms, ...wordTerms].map((r) => r.term_hash);
    assert.deepEqual(await storageHolds(fx, termHashes), termHashes, 'before erasure the term hashes are stored');

    const erased = await app.inject({ method: 'DELETE', url: `/v1/contacts/${s.contactId}`, headers: { authorization } });
    assert.equal(erased.statusCode, 200, erased.body);
    assert.deepEqual(await storageHolds(fx, [...s.needles, ...keyed, ...termHashes]), [], 'nothing of hers is left, not even ciphertext, hashes of her provider ids or of her name\'s and words\' terms');
    const view = (await app.inject({ url: `/v1/messages/${s.cloudOut}`, headers: { authorization } })).json();
    assert.deepEqual([view.status, view.providerMessageId, view.content], ['delivered', null, null], 'the message row stays for counts');
  });
});

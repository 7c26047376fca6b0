import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { DIALECTS } from '../../src/db/dialect.js';
import type { Store } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { configWith } from '../../src/config/load.js';
import { createContext } from '../../src/main/create-context.js';
import { createLogger } from '../../src/observability/logger.js';
import { createWorkspace } from '../../src/workspaces/workspace-queries.js';
import { newId } from '../../src/shared/ids.js';
import { STATUS_RANK } from '../../src/messages/status.js';
import { newWamid } from '../../src/emulator/shared/ids.js';
import { openProviderId, providerIdHash, providerIdKey } from '../../src/messages/provider-ids.js';
import { sealLegacyPersonalData } from '../../src/privacy/seal-legacy-data.js';
import { searchContacts } from '../../src/contacts/search-contacts.js';
import { getContact } from '../../src/contacts/contact.js';
import { emitOrphanedDomainEvents } from '../../src/webhooks/domain-event-queue.js';
import { captureDomainEvents } from '../webhooks/helpers.js';
import { POSTGRES_SKIP_REASON, POSTGRES_URL } from '../harness/postgres.js';
import { storeAtEarlierSchema } from '../harness/earlier-schema.js';

// Migration 0008 changes only the schema (a migration has no keys); rows stored before it are sealed at
// boot by `sealLegacyPersonalData`. This builds a database at 0007, stores rows the way the code before
// 0008 did (clear provider ids, attributes, tags, outcome keys, queued words), migrates, runs the
// backfill and checks every row was converted and still works.
for (const dialect of DIALECTS) {
  describe(`sealing personal data stored before 0008 [${dialect}]`, { skip: dialect === 'postgres' && !POSTGRES_URL ? POSTGRES_SKIP_REASON : false }, () => {
    let store: Store;
    let url: string;
    const cleanup: Array<() => unknown> = [];
    before(async () => {
      // 0009 (senders.number_key) is in the sender row below.
      ({ store, url } = await storeAtEarlierSchema(dialect, (name) => name < '0008' || name.startsWith('0009-'), cleanup, 3));
    });
    after(async () => {
      await store?.close();
      for (const fn of cleanup.reverse()) await fn();
    });

    it('converts clear provider ids, held statuses, outcome keys, queued words, attributes and tags; twice is a no-op', async () => {
      const ctx = createContext({ config: configWith({ databaseUrl: url, logLevel: 'silent' }), masterKey: randomBytes(32), store, logger: createLogger({ level: 'silent' }) });
      const legacy = store.db as unknown as Kysely<any>;
      const ws = await createWorkspace(store.db, { name: 'legacy' });
      const now = Date.now();
      // A sender row as createSender wrote it at that schema (its provider columns, before 0014).
      const sender = { id: newId('snd') };
      await legacy.insertInto('senders').values({
        id: sender.id, workspace_id: ws.id, name: 'cloud', provider: 'cloud', base_url: 'http://127.0.0.1:9', graph_version: 'v23.0', phone_number_id: 'pn1', waba_id: 'w', instance_id: null, number_key: 'cloud:pn1',
        display_phone: null, credentials: await ctx.keyring.encrypt(ws.id, JSON.stringify({ accessToken: 't' })), webhook_secret: null, mps: 80, messaging_limit: null, portfolio_id: 'w', status: 'active', quality: null, created_at: now, updated_at: now,
      }).execute();
      const contactId = newId('ct');
      await legacy.insertInto('contacts').values({
        id: contactId, workspace_id: ws.id, phone_hash: null, phone: await ctx.keyring.encrypt(ws.id, '+33612345678'), wa_id_hash: null, wa_id: null, name: null, email_hash: null, email: null,
        language: null, time_zone: null, country: 'FR', attributes: JSON.stringify({ address: 'Rua Augusta 1500', floor: 3 }), tags: JSON.stringify(['pregnant']), merged_into: null, erased_at: null, created_at: now, updated_at: now,
      }).execute();
      await legacy.insertInto('contact_tags').values({ contact_id: contactId, workspace_id: ws.id, tag: 'pregnant' }).execute();
      await legacy.insertInto('contact_attributes').values([{ contact_id: contactId, workspace_id: ws.id, key: 'address', value: 'Rua Augusta 1500' }, { contact_id: contactId, workspace_id: ws.id, key: 'floor', value: '3' }]).execute();
      const wamid = newWamid('33612345678');
      const messageId = newId('msg');
      await legacy.insertInto('messages').values({
        id: messageId, workspace_id: ws.id, direction: 'outbound', sender_id: sender.id, contact_id: contactId, category: 'conversation', lane_priority: 2, type: 'text', content: null, template_name: null,
        template_language: null, intent: null, status: 'accepted', status_rank: STATUS_RANK.accepted, status_at: now, provider_message_id: wamid, idempotency_key: null, request_hash: null, send_at: now,
        valid_until: null, next_attempt_at: now, claimed_by: null, claimed_at: null, error_code: null, error_message: null, reply_to: null, created_at: now, updated_at: now,
      }).execute();
      await legacy.insertInto('message_events').values({ message_id: messageId, kind: 'attempt', status: 'accepted', at: now, detail: JSON.stringify({ stage: 'dispatch', providerMessageId: wamid, attempt: 1 }) }).execute();
      const heldWamid = newWamid('33612345678');
      await legacy.insertInto('pending_statuses').values({ provider: 'cloud', provider_message_id: heldWamid, status: 'read', sender_id: sender.id, parley_message_id: null, item: JSON.stringify({ kind: 'status', provider: 'cloud', route: { phoneNumberId: 'pn1' }, providerMessageId: heldWamid, providerStatus: 'read', status: 'read', at: now, errors: [] }), received_at: now, expires_at: now + 86_400_000 }).execute();
      const ultraId = 'false_33612345678@c.us_3EB02E5EB89CE03FB034';
      await legacy.insertInto('webhook_log').values({
        provider: 'cloud', received_at: now, sender_id: sender.id, body: Buffer.from('sealed'), headers: '{}', state: 'done', attempts: 1, next_attempt_at: now, claimed_by: null, claimed_at: null, processed_at: now, error: null,
        outcome: JSON.stringify({ items: [{ key: `message:${wamid}`, result: 'applied' }, { key: `status:${heldWamid}:read`, result: 'pending' }, { key: `message:${ultraId}`, result: 'ignored' }, { key: 'template_status:123:APPROVED', result: 'applied' }] }),
      }).execute();
      await legacy.insertInto('webhook_domain_events').values({ event: JSON.stringify({ type: 'message.inbound', workspaceId: ws.id, senderId: sender.id, contactId, messageId, messageType: 'text', text: 'STOP please, Rua Augusta', receivedAt: now }), created_at: now - 60_000 }).execute();

      await migrate(store);
      const report = await sealLegacyPersonalData(ctx);
      assert.deepEqual(report, { ran: true, messages: 1, messageEvents: 1, pendingStatuses: 1, logOutcomes: 1, domainEvents: 1, contacts: 1 });

      const message = await store.db.selectFrom('messages').select(['provider_id_sealed', 'provider_id_hash']).where('id', '=', messageId).executeTakeFirstOrThrow();
      assert.equal(message.provider_id_hash, providerIdHash(ctx.keyring, wamid));
      assert.equal(await openProviderId(ctx.keyring, ws.id, message.provider_id_sealed), wamid);
      assert.notEqual(message.provider_id_sealed, wamid);
      const event = await store.db.selectFrom('message_events').select('detail').where('message_id', '=', messageId).executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(event.detail), { stage: 'dispatch', attempt: 1 });
      const held = await store.db.selectFrom('pending_statuses').select(['provider_id_hash', 'item']).executeTakeFirstOrThrow();
      assert.equal(held.provider_id_hash, providerIdHash(ctx.keyring, heldWamid));
      assert.equal(JSON.parse(await ctx.keyring.decrypt(ws.id, held.item)).providerMessageId, heldWamid);
      const log = await store.db.selectFrom('webhook_log').select('outcome').executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(log.outcome!).items.map((i: { key: string }) => i.key), [
        `message:${providerIdKey(providerIdHash(ctx.keyring, wamid))}`,
        `status:${providerIdKey(providerIdHash(ctx.keyring, heldWamid))}:read`,
        `message:${providerIdKey(providerIdHash(ctx.keyring, ultraId))}`,
        'template_status:123:APPROVED',
      ]);
      const queued = await store.db.selectFrom('webhook_domain_events').select('event').executeTakeFirstOrThrow();
      assert.ok(!queued.event.includes('Rua Augusta') && JSON.parse(queued.event).sealed, 'queued words sealed');
      const contact = await getContact(store.db, ctx.keyring, ws.id, contactId);
      assert.deepEqual([contact?.attributes, contact?.tags], [{ address: 'Rua Augusta 1500', floor: 3 }, ['pregnant']]);
      const stored = await store.db.selectFrom('contacts').select(['attributes', 'tags']).where('id', '=', contactId).executeTakeFirstOrThrow();
      assert.match(stored.attributes, /^v1\./);
      assert.match(stored.tags, /^v1\./);
      for (const search of [{ tag: 'pregnant' }, { attribute: { key: 'address', value: 'Rua Augusta 1500' } }, { attribute: { key: 'floor', value: '3' } }]) {
        const page = await searchContacts(store.db, ctx.keyring, ws.id, { ...search, limit: 10 });
        assert.deepEqual(page.data.map((c) => c.id), [contactId], JSON.stringify(search));
      }
      const index = await sql<{ t: string }>`select tag_hash as t from contact_tags union all select value_hash as t from contact_attributes`.execute(store.db);
      assert.ok(index.rows.every((r) => /^[0-9a-f]{64}$/.test(r.t)), 'search rows hold keyed hashes only');

      // The orphaned event still reaches its handlers with the customer's words.
      const capture = captureDomainEvents(['message.inbound']);
      try {
        assert.equal(await emitOrphanedDomainEvents(ctx, dialect, Date.now()), 1);
      } finally {
        capture.stop();
      }
      assert.equal((capture.events[0] as { text?: string }).text, 'STOP please, Rua Augusta');

      assert.equal((await sealLegacyPersonalData(ctx)).ran, false, 'done once, then a single read');
    });
  });
}

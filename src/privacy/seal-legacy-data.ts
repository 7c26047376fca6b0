import type { ParleyContext } from '../runtime/context.js';
import type { Keyring } from '../crypto/keyring.js';
import { isSealed, providerIdHash, providerIdKey, sealProviderId } from '../messages/provider-ids.js';
import { replaceContactIndexes } from '../contacts/contact-indexes.js';
import { openJsonColumn, sealJsonColumn } from '../contacts/contact.js';
import type { AttributeValue } from '../contacts/contact-input.js';
import type { DomainEvent } from '../domain-events/events.js';
import { sealInboundWords, storedDomainEvent } from '../domain-events/sealed-words.js';

/** The `data_backfills` row migration 0008 adds. */
export const SEAL_PERSONAL_DATA = '0008-seal-personal-data';

const BATCH = 500;

export interface SealReport {
  ran: boolean;
  messages: number;
  messageEvents: number;
  pendingStatuses: number;
  logOutcomes: number;
  domainEvents: number;
  contacts: number;
}

/**
 * Converts rows written before migration 0008 (which changes only the schema: a migration has no
 * keys) to the form Parley now stores, with the master key:
 * - messages: the clear provider id (now in `provider_id_sealed`) is sealed and its keyed hash set;
 * - message_events: dispatch attempts lose the provider id they carried in clear;
 * - pending_statuses: the clear id (now in `provider_id_hash`) is hashed and the item sealed;
 * - webhook_log: outcome keys naming provider ids get the keyed hash instead;
 * - webhook_domain_events: queued `message.inbound` events get the customer's words sealed;
 * - contacts: attributes and tags are sealed and their search rows rebuilt as keyed hashes.
 *
 * Every Parley process runs it at boot, right after migrating (`main/run.ts`); once finished it
 * marks the `data_backfills` row done, and later boots cost one primary-key read. It walks each table
 * once in key order, in batches; encryption happens outside transactions, and each write is
 * conditional on the row still being in its old form, so processes starting together (PostgreSQL) may
 * both run it without harm. Readers accept both forms meanwhile.
 */
export async function sealLegacyPersonalData(ctx: ParleyContext): Promise<SealReport> {
  const report: SealReport = { ran: false, messages: 0, messageEvents: 0, pendingStatuses: 0, logOutcomes: 0, domainEvents: 0, contacts: 0 };
  const marker = await ctx.db.selectFrom('data_backfills').select('done_at').where('name', '=', SEAL_PERSONAL_DATA).executeTakeFirst();
  if (!marker || marker.done_at !== null) return report;
  report.ran = true;
  report.messages = await sealMessages(ctx);
  report.messageEvents = await stripEventProviderIds(ctx);
  report.pendingStatuses = await sealPendingStatuses(ctx);
  report.logOutcomes = await rekeyLogOutcomes(ctx);
  report.domainEvents = await sealQueuedDomainEvents(ctx);
  report.contacts = await sealContacts(ctx);
  await ctx.db.updateTable('data_backfills').set({ done_at: ctx.clock.now() }).where('name', '=', SEAL_PERSONAL_DATA).execute();
  ctx.logger.info(report, 'personal data stored before 0008 sealed');
  return report;
}

async function sealMessages(ctx: ParleyContext): Promise<number> {
  let done = 0;
  let after = '';
  for (;;) {
    const rows = await ctx.db.selectFrom('messages').select(['id', 'workspace_id', 'provider_id_sealed', 'provider_id_hash']).where('id', '>', after).orderBy('id').limit(BATCH).execute();
    if (!rows.length) return done;
    after = rows[rows.length - 1].id;
    const legacy = rows.filter((r) => r.provider_id_hash === null && r.provider_id_sealed !== null && !isSealed(r.provider_id_sealed));
    const updates = await Promise.all(
      legacy.map(async (r) => ({ id: r.id, clear: r.provider_id_sealed!, hash: providerIdHash(ctx.keyring, r.provider_id_sealed!), sealed: await sealProviderId(ctx.keyring, r.workspace_id, r.provider_id_sealed!) })),
    );
    if (updates.length) {
      await ctx.db.transaction().execute(async (trx) => {
        for (const u of updates) {
          await trx.updateTable('messages').set({ provider_id_sealed: u.sealed, provider_id_hash: u.hash }).where('id', '=', u.id).where('provider_id_sealed', '=', u.clear).where('provider_id_hash', 'is', null).execute();
        }
      });
    }
    done += updates.length;
  }
}

async function stripEventProviderIds(ctx: ParleyContext): Promise<number> {
  let done = 0;
  let after = 0;
  for (;;) {
    const rows = await ctx.db.selectFrom('message_events').select(['seq', 'detail']).where('seq', '>', after).where('detail', 'like', '%"providerMessageId"%').orderBy('seq').limit(BATCH).execute();
    if (!rows.length) return done;
    after = Number(rows[rows.length - 1].seq);
    await ctx.db.transaction().execute(async (trx) => {
      for (const row of rows) {
        const { providerMessageId: _dropped, ...detail } = JSON.parse(row.detail) as Record<string, unknown>;
        await trx.updateTable('message_events').set({ detail: JSON.stringify(detail) }).where('seq', '=', row.seq).execute();
      }
    });
    done += rows.length;
  }
}

async function sealPendingStatuses(ctx: ParleyContext): Promise<number> {
  let done = 0;
  let after = 0;
  const workspaces = new Map<string, string | undefined>();
  const workspaceOf = async (senderId: string) => {
    if (!workspaces.has(senderId)) workspaces.set(senderId, (await ctx.db.selectFrom('senders').select('workspace_id').where('id', '=', senderId).executeTakeFirst())?.workspace_id);
    return workspaces.get(senderId);
  };
  for (;;) {
    const rows = await ctx.db.selectFrom('pending_statuses').select(['id', 'provider_id_hash', 'sender_id', 'item']).where('id', '>', after).orderBy('id').limit(BATCH).execute();
    if (!rows.length) return done;
    after = Number(rows[rows.length - 1].id);
    const updates: Array<{ id: number; hash: string; item: string } | { id: number; drop: true }> = [];
    for (const row of rows.filter((r) => !isSealed(r.item))) {
      const workspaceId = await workspaceOf(row.sender_id);
      // Held before 0008: `provider_id_hash` still holds the clear id.
      updates.push(workspaceId ? { id: Number(row.id), hash: providerIdHash(ctx.keyring, row.provider_id_hash), item: await ctx.keyring.encrypt(workspaceId, row.item) } : { id: Number(row.id), drop: true });
    }
    if (updates.length) {
      await ctx.db.transaction().execute(async (trx) => {
        for (const u of updates) {
          if ('drop' in u) await trx.deleteFrom('pending_statuses').where('id', '=', u.id).execute();
          else await trx.updateTable('pending_statuses').set({ provider_id_hash: u.hash, item: u.item }).where('id', '=', u.id).where('item', 'not like', 'v1.%').execute();
        }
      });
    }
    done += updates.length;
  }
}

/** A log outcome key written before 0008 (`message:<id>`, `status:<id>:<word>`, `<event_type>:<id>`) with the id's keyed hash instead. */
export function rekeyLegacyOutcomeKey(keyring: Keyring, key: string): string {
  const parts = key.split(':');
  if (parts.length < 2) return key;
  // Keys written since 0008 already carry the hash (`message:<hash>`, `status:<word>:<hash>`).
  if (parts.some((part) => /^[0-9a-f]{24}$/.test(part))) return key;
  const [prefix, id, ...rest] = parts;
  const namesProviderId = /^(message|status)/.test(prefix) || id.includes('@') || id.startsWith('wamid.');
  if (!namesProviderId) return key;
  return [prefix, providerIdKey(providerIdHash(keyring, id)), ...rest].join(':');
}

async function rekeyLogOutcomes(ctx: ParleyContext): Promise<number> {
  let done = 0;
  let after = 0;
  for (;;) {
    const rows = await ctx.db.selectFrom('webhook_log').select(['seq', 'outcome']).where('seq', '>', after).where('outcome', 'is not', null).orderBy('seq').limit(BATCH).execute();
    if (!rows.length) return done;
    after = Number(rows[rows.length - 1].seq);
    const updates: Array<{ seq: number; outcome: string }> = [];
    for (const row of rows) {
      const outcome = JSON.parse(row.outcome!) as { items?: Array<{ key: string }> };
      let changed = false;
      for (const item of outcome.items ?? []) {
        const key = rekeyLegacyOutcomeKey(ctx.keyring, item.key);
        if (key !== item.key) {
          item.key = key;
          changed = true;
        }
      }
      if (changed) updates.push({ seq: Number(row.seq), outcome: JSON.stringify(outcome) });
    }
    if (updates.length) {
      await ctx.db.transaction().execute(async (trx) => {
        for (const u of updates) await trx.updateTable('webhook_log').set({ outcome: u.outcome }).where('seq', '=', u.seq).execute();
      });
    }
    done += updates.length;
  }
}

async function sealQueuedDomainEvents(ctx: ParleyContext): Promise<number> {
  let done = 0;
  let after = 0;
  for (;;) {
    const rows = await ctx.db.selectFrom('webhook_domain_events').select(['seq', 'event']).where('seq', '>', after).orderBy('seq').limit(BATCH).execute();
    if (!rows.length) return done;
    after = Number(rows[rows.length - 1].seq);
    const updates: Array<{ seq: number; old: string; event: string }> = [];
    for (const row of rows) {
      const event = JSON.parse(row.event) as DomainEvent;
      if (event.type !== 'message.inbound' || event.sealed || (event.text === undefined && event.buttonPayload === undefined)) continue;
      const sealed = await sealInboundWords(ctx.keyring, event.workspaceId, { text: event.text, buttonPayload: event.buttonPayload });
      updates.push({ seq: Number(row.seq), old: row.event, event: JSON.stringify(storedDomainEvent({ ...event, sealed })) });
    }
    if (updates.length) {
      await ctx.db.transaction().execute(async (trx) => {
        for (const u of updates) await trx.updateTable('webhook_domain_events').set({ event: u.event }).where('seq', '=', u.seq).where('event', '=', u.old).execute();
      });
    }
    done += updates.length;
  }
}

async function sealContacts(ctx: ParleyContext): Promise<number> {
  let done = 0;
  let after = '';
  for (;;) {
    const rows = await ctx.db.selectFrom('contacts').select(['id', 'workspace_id', 'tags', 'attributes', 'erased_at']).where('id', '>', after).orderBy('id').limit(BATCH).execute();
    if (!rows.length) return done;
    after = rows[rows.length - 1].id;
    const legacy = rows.filter((r) => r.erased_at === null && (!isSealed(r.tags) || !isSealed(r.attributes)));
    const updates = await Promise.all(
      legacy.map(async (r) => {
        const tags = await openJsonColumn<string[]>(ctx.keyring, r.workspace_id, r.tags);
        const attributes = await openJsonColumn<Record<string, AttributeValue>>(ctx.keyring, r.workspace_id, r.attributes);
        return { row: r, tags, attributes, sealed: { tags: await sealJsonColumn(ctx.keyring, r.workspace_id, tags), attributes: await sealJsonColumn(ctx.keyring, r.workspace_id, attributes) } };
      }),
    );
    for (const u of updates) {
      await ctx.db.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('contacts')
          .set({ tags: u.sealed.tags, attributes: u.sealed.attributes })
          .where('id', '=', u.row.id)
          .where('tags', '=', u.row.tags)
          .where('attributes', '=', u.row.attributes)
          .executeTakeFirst();
        // Changed meanwhile (an update writes sealed lists and hashed search rows itself): nothing to do.
        if (Number(result.numUpdatedRows) === 0) return;
        await replaceContactIndexes(trx, ctx.keyring, u.row.workspace_id, [{ contactId: u.row.id, tags: u.tags, attributes: u.attributes }]);
      });
    }
    done += updates.length;
  }
}

// Rows written before migration 0008 (which changes only the schema: a migration has no keys),
// converted to the form the webhook module now stores; run once at boot by `privacy/seal-legacy-data.ts`.
import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import { isSealed, providerIdHash, providerIdKey } from '../messages/provider-ids.js';
import { workspaceOfSender } from '../senders/sender-queries.js';
import type { DomainEvent } from '../domain-events/events.js';
import { sealInboundWords, storedDomainEvent } from '../domain-events/sealed-words.js';

const BATCH = 500;

/** Pending statuses: the clear id (now in `provider_id_hash`) is hashed and the item sealed; one whose sender is gone is dropped. Returns how many were. */
export async function sealLegacyPendingStatuses(db: Db, keyring: Keyring): Promise<number> {
  let done = 0;
  let after = 0;
  const workspaces = new Map<string, string | undefined>();
  const workspaceOf = async (senderId: string) => {
    if (!workspaces.has(senderId)) workspaces.set(senderId, await workspaceOfSender(db, senderId));
    return workspaces.get(senderId);
  };
  for (;;) {
    const rows = await db.selectFrom('pending_statuses').select(['id', 'provider_id_hash', 'sender_id', 'item']).where('id', '>', after).orderBy('id').limit(BATCH).execute();
    if (!rows.length) return done;
    after = Number(rows[rows.length - 1].id);
    const updates: Array<{ id: number; hash: string; item: string } | { id: number; drop: true }> = [];
    for (const row of rows.filter((r) => !isSealed(r.item))) {
      const workspaceId = await workspaceOf(row.sender_id);
      // Held before 0008: `provider_id_hash` still holds the clear id.
      updates.push(workspaceId ? { id: Number(row.id), hash: providerIdHash(keyring, row.provider_id_hash), item: await keyring.encrypt(workspaceId, row.item) } : { id: Number(row.id), drop: true });
    }
    if (updates.length) {
      await db.transaction().execute(async (trx) => {
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

/** The webhook log: outcome keys naming provider ids get the keyed hash instead. Returns how many rows changed. */
export async function rekeyLegacyLogOutcomes(db: Db, keyring: Keyring): Promise<number> {
  let done = 0;
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('webhook_log').select(['seq', 'outcome']).where('seq', '>', after).where('outcome', 'is not', null).orderBy('seq').limit(BATCH).execute();
    if (!rows.length) return done;
    after = Number(rows[rows.length - 1].seq);
    const updates: Array<{ seq: number; outcome: string }> = [];
    for (const row of rows) {
      const outcome = JSON.parse(row.outcome!) as { items?: Array<{ key: string }> };
      let changed = false;
      for (const item of outcome.items ?? []) {
        const key = rekeyLegacyOutcomeKey(keyring, item.key);
        if (key !== item.key) {
          item.key = key;
          changed = true;
        }
      }
      if (changed) updates.push({ seq: Number(row.seq), outcome: JSON.stringify(outcome) });
    }
    if (updates.length) {
      await db.transaction().execute(async (trx) => {
        for (const u of updates) await trx.updateTable('webhook_log').set({ outcome: u.outcome }).where('seq', '=', u.seq).execute();
      });
    }
    done += updates.length;
  }
}

/** Queued `message.inbound` domain events get the customer's words sealed. Returns how many did. */
export async function sealLegacyQueuedDomainEvents(db: Db, keyring: Keyring): Promise<number> {
  let done = 0;
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('webhook_domain_events').select(['seq', 'event']).where('seq', '>', after).orderBy('seq').limit(BATCH).execute();
    if (!rows.length) return done;
    after = Number(rows[rows.length - 1].seq);
    const updates: Array<{ seq: number; old: string; event: string }> = [];
    for (const row of rows) {
      const event = JSON.parse(row.event) as DomainEvent;
      if (event.type !== 'message.inbound' || event.sealed || (event.text === undefined && event.buttonPayload === undefined)) continue;
      const sealed = await sealInboundWords(keyring, event.workspaceId, { text: event.text, buttonPayload: event.buttonPayload });
      updates.push({ seq: Number(row.seq), old: row.event, event: JSON.stringify(storedDomainEvent({ ...event, sealed })) });
    }
    if (updates.length) {
      await db.transaction().execute(async (trx) => {
        for (const u of updates) await trx.updateTable('webhook_domain_events').set({ event: u.event }).where('seq', '=', u.seq).where('event', '=', u.old).execute();
      });
    }
    done += updates.length;
  }
}

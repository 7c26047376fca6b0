import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import { GroupCommit } from '../db/group-commit.js';
import { contactRow } from './contact-row.js';
import type { ContactsTable } from './tables.js';
import type { Keyring } from '../crypto/keyring.js';
import { newId } from '../shared/ids.js';
import { canonicalPhone, equivalentPhones } from './phone-equivalence.js';
import { normalizePhone, toWaId } from './phone.js';
import { guessTimeZone } from './time-zone-guess.js';
import { phoneLookupHashes, waIdHash } from './contact-hashes.js';

export interface ContactRef {
  id: string;
  workspaceId: string;
}

/**
 * Finds the contact for an E.164 number, creating it if absent. Every equivalent form of the
 * number (Brazil's 9th digit, Mexico's `1`, Argentina's `9`: `phone-equivalence.ts`) finds the same
 * contact. A new contact stores the canonical number as `phone` and the number as given as `wa_id`
 * (callers pass WhatsApp's own id here). Safe under concurrency: the unique (workspace, phone hash)
 * index decides, and a loser of the race reads the winner's row. Merged contacts resolve to the survivor.
 */
export async function findOrCreateContactByPhone(db: Db, keyring: Keyring, workspaceId: string, e164: string, now = Date.now()): Promise<ContactRef & { created: boolean }> {
  const plan = await planContactByPhone(db, keyring, workspaceId, e164, now);
  if (plan.existing) return { ...plan.existing, created: false };
  const row = plan.newRow;
  // Inside a caller's transaction the row is written there; otherwise it joins the next group commit.
  const created = db.isTransaction ? (await insertContacts(db, [row]))[0] : await contactCreator(db).submit(row);
  if (created) return { id: row.id as string, workspaceId, created: true };
  const winner = await findContactByPhone(db, keyring, workspaceId, e164);
  if (!winner) throw new Error('contact insert conflicted but no row was found');
  return { ...winner, created: false };
}

/**
 * The contact an E.164 number belongs to, or the row of a new contact for it, not yet written: a
 * caller that writes it in its own transaction (the accept of a send to a new number) writes it with
 * `insertContacts` and, should the number have been taken meanwhile, uses `contactIdOfPhoneHash`.
 */
export async function planContactByPhone(
  db: Db,
  keyring: Keyring,
  workspaceId: string,
  e164: string,
  now = Date.now(),
): Promise<{ existing: ContactRef; newRow?: undefined } | { existing?: undefined; newRow: Insertable<ContactsTable> & { id: string } }> {
  const existing = await findContactByPhone(db, keyring, workspaceId, e164);
  if (existing) return { existing };
  const canonical = canonicalPhone(e164);
  const id = newId('ct', now);
  const row = await contactRow(keyring, workspaceId, id, {
    phone: canonical,
    country: normalizePhone(canonical)?.country ?? null,
    waId: toWaId(e164),
    name: null,
    email: null,
    language: null,
    timeZone: guessTimeZone(canonical) ?? null,
    attributes: {},
    tags: [],
  }, now);
  return { newRow: { ...row, id } };
}

/** The contact (survivor of merges) holding this phone hash, if any. */
export async function contactIdOfPhoneHash(db: Db, workspaceId: string, phoneHashValue: string): Promise<string | undefined> {
  return (await findContactByPhoneHash(db, workspaceId, phoneHashValue))?.id;
}

/** Inserts new contacts; each answers whether it went in (false: its number was taken meanwhile). */
export async function insertContacts(db: Db, rows: Insertable<ContactsTable>[]): Promise<boolean[]> {
  const inserted = await db.insertInto('contacts').values(rows).onConflict((oc) => oc.columns(['workspace_id', 'phone_hash']).doNothing()).returning('id').execute();
  const ids = new Set(inserted.map((r) => r.id));
  return rows.map((r) => ids.has(r.id));
}

const creators = new WeakMap<Db, GroupCommit<Insertable<ContactsTable>, boolean>>();

/**
 * New contacts are group-committed: under load many share one transaction. Each answers whether
 * its row went in; a row whose (workspace, phone hash) was taken meanwhile did not.
 */
function contactCreator(db: Db): GroupCommit<Insertable<ContactsTable>, boolean> {
  let creator = creators.get(db);
  if (!creator) {
    creator = new GroupCommit(db, insertContacts);
    creators.set(db, creator);
  }
  return creator;
}

/** The contact (survivor of merges) any equivalent form of this number belongs to. */
export async function findContactByPhone(db: Db, keyring: Keyring, workspaceId: string, e164: string): Promise<ContactRef | undefined> {
  return findContactByAnyPhone(db, keyring, workspaceId, [e164]);
}

/** One query over every lookup hash of every given form; the first form's canonical hash is preferred, then the oldest contact. */
async function findContactByAnyPhone(db: Db, keyring: Keyring, workspaceId: string, forms: readonly string[]): Promise<ContactRef | undefined> {
  const hashes = [...new Set(forms.flatMap((form) => phoneLookupHashes(keyring, workspaceId, form)))];
  const rows = await db
    .selectFrom('contacts')
    .select(['id', 'merged_into', 'phone_hash', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('phone_hash', 'in', hashes)
    .execute();
  if (rows.length === 0) return undefined;
  rows.sort((a, b) => Number(b.phone_hash === hashes[0]) - Number(a.phone_hash === hashes[0]) || a.created_at - b.created_at);
  return { id: rows[0].merged_into ?? rows[0].id, workspaceId };
}

/** Follows `merged_into` so a merged contact resolves to the surviving one. */
export async function findContactByPhoneHash(db: Db, workspaceId: string, phoneHashValue: string): Promise<ContactRef | undefined> {
  const row = await db.selectFrom('contacts').select(['id', 'merged_into']).where('workspace_id', '=', workspaceId).where('phone_hash', '=', phoneHashValue).executeTakeFirst();
  if (!row) return undefined;
  return { id: row.merged_into ?? row.id, workspaceId };
}

/**
 * The contact an inbound `wa_id` belongs to. First by the wa_id itself; then, since a wa_id is
 * the number's digits in some form, by every equivalent phone number (Brazil's 9th digit, ...). The
 * second way only finds a contact whose own wa_id is unknown or another form of the same number: a
 * contact that moved to a new WhatsApp id (`user_changed_number`) no longer answers to the old one.
 * A contact found the second way gets this wa_id linked (WhatsApp's id is authoritative over one
 * Parley derived from the number), so the next lookup is direct. Merged contacts resolve to the survivor.
 */
export async function findContactByWaId(db: Db, keyring: Keyring, workspaceId: string, waId: string): Promise<ContactRef | undefined> {
  const row = await db
    .selectFrom('contacts')
    .select(['id', 'merged_into'])
    .where('workspace_id', '=', workspaceId)
    .where('wa_id_hash', '=', waIdHash(keyring, workspaceId, waId))
    .orderBy('created_at')
    .executeTakeFirst();
  if (row) return { id: row.merged_into ?? row.id, workspaceId };
  if (!/^\d{6,20}$/.test(waId)) return undefined;
  const normalized = normalizePhone(waId);
  const forms = [...new Set([...(normalized ? [normalized.e164] : []), ...equivalentPhones(`+${waId}`)])];
  const sameNumberWaIds = new Set(forms.flatMap((form) => [form, ...equivalentPhones(form), canonicalPhone(form)]).map((form) => waIdHash(keyring, workspaceId, toWaId(form))));
  const hashes = [...new Set(forms.flatMap((form) => phoneLookupHashes(keyring, workspaceId, form)))];
  const rows = await db
    .selectFrom('contacts')
    .select(['id', 'merged_into', 'phone_hash', 'wa_id_hash', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('phone_hash', 'in', hashes)
    .execute();
  const candidates = rows.filter((r) => r.wa_id_hash === null || sameNumberWaIds.has(r.wa_id_hash));
  if (candidates.length === 0) return undefined;
  candidates.sort((a, b) => Number(b.phone_hash === hashes[0]) - Number(a.phone_hash === hashes[0]) || a.created_at - b.created_at);
  const found = candidates[0];
  await linkWaId(db, keyring, workspaceId, found.id, waId);
  return { id: found.merged_into ?? found.id, workspaceId };
}

/** Sets a contact's name, already sealed with its workspace's key (a new contact named by an inbound message's profile). */
export async function setContactName(db: Db, contactId: string, sealedName: string, now: number): Promise<void> {
  await db.updateTable('contacts').set({ name: sealedName, updated_at: now }).where('id', '=', contactId).execute();
}

/** Points a contact at a WhatsApp id hashed and sealed beforehand, inside the caller's transaction (`user_changed_number`). */
export async function setContactWaId(db: Db, contactId: string, waId: { waIdHash: string; waId: string }, now: number): Promise<void> {
  await db.updateTable('contacts').set({ wa_id_hash: waId.waIdHash, wa_id: waId.waId, updated_at: now }).where('id', '=', contactId).execute();
}

/** Records WhatsApp's id for a contact (an inbound message, a send response, a number change). */
export async function linkWaId(db: Db, keyring: Keyring, workspaceId: string, contactId: string, waId: string, now = Date.now()): Promise<void> {
  await db
    .updateTable('contacts')
    .set({ wa_id: await keyring.encrypt(workspaceId, waId), wa_id_hash: waIdHash(keyring, workspaceId, waId), updated_at: now })
    .where('id', '=', contactId)
    .where('workspace_id', '=', workspaceId)
    .where('erased_at', 'is', null)
    .execute();
}

/** What a send to a contact id needs: its sealed phone, and whether it was merged or erased. */
export async function recipientOfContactId(db: Db, workspaceId: string, id: string) {
  return db.selectFrom('contacts').select(['id', 'phone', 'merged_into', 'erased_at']).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** A contact's language and country (what picks the language of a message to it), by id. */
export async function languageAndCountryOf(db: Db, id: string): Promise<{ language: string | null; country: string | null } | undefined> {
  return db.selectFrom('contacts').select(['language', 'country']).where('id', '=', id).executeTakeFirst();
}

/** A contact's language, by id. */
export async function languageOf(db: Db, id: string): Promise<{ language: string | null } | undefined> {
  return db.selectFrom('contacts').select('language').where('id', '=', id).executeTakeFirst();
}

export interface ResolvedContact {
  /** The surviving contact's id. */
  id: string;
  erasedAt: number | null;
  /** The survivor and every contact merged into it: whose histories together are this person's. */
  memberIds: string[];
}

/** Resolves a contact id (possibly of a merged contact) to the surviving contact and its merged members. */
export async function resolveContact(db: Db, workspaceId: string, contactId: string): Promise<ResolvedContact | undefined> {
  // The usual case in one read: the contact, not merged, with the contacts merged into it.
  const found = await db
    .selectFrom('contacts')
    .select(['id', 'merged_into', 'erased_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId)
    .unionAll(db.selectFrom('contacts').select(['id', 'merged_into', 'erased_at']).where('workspace_id', '=', workspaceId).where('merged_into', '=', contactId))
    .execute();
  const survivor = found.find((r) => r.id === contactId);
  if (!survivor) return undefined;
  if (!survivor.merged_into) {
    const members = found.filter((r) => r !== survivor).map((r) => r.id).sort();
    return { id: survivor.id, erasedAt: survivor.erased_at, memberIds: [survivor.id, ...members] };
  }
  let row: typeof survivor | undefined = survivor;
  // Merges flatten chains, so one hop is the norm; the bound guards against a corrupted cycle.
  for (let hops = 0; row?.merged_into && hops < 8; hops++) {
    row = await db.selectFrom('contacts').select(['id', 'merged_into', 'erased_at']).where('id', '=', row.merged_into).where('workspace_id', '=', workspaceId).executeTakeFirst();
  }
  if (!row) return undefined;
  const members = await db.selectFrom('contacts').select('id').where('workspace_id', '=', workspaceId).where('merged_into', '=', row.id).orderBy('id').execute();
  return { id: row.id, erasedAt: row.erased_at, memberIds: [row.id, ...members.map((m) => m.id)] };
}

/**
 * `resolveContact` for many ids at once (a dispatch batch): a handful of queries whatever the count.
 * Ids of other workspaces, or unknown ids, are absent from the result.
 */
export async function resolveContacts(db: Db, workspaceId: string, contactIds: readonly string[]): Promise<Map<string, ResolvedContact>> {
  const CHUNK = 500;
  const rowsById = new Map<string, { id: string; merged_into: string | null; erased_at: number | null }>();
  let pending = [...new Set(contactIds)];
  // Merges flatten chains, so this is one or two rounds; the bound guards against a corrupted cycle.
  for (let round = 0; pending.length > 0 && round < 8; round++) {
    for (let i = 0; i < pending.length; i += CHUNK) {
      const rows = await db.selectFrom('contacts').select(['id', 'merged_into', 'erased_at']).where('workspace_id', '=', workspaceId).where('id', 'in', pending.slice(i, i + CHUNK)).execute();
      for (const row of rows) rowsById.set(row.id, row);
    }
    pending = [...new Set([...rowsById.values()].map((r) => r.merged_into).filter((id): id is string => id !== null && !rowsById.has(id)))];
  }
  const survivorOf = (id: string) => {
    let row = rowsById.get(id);
    for (let hops = 0; row?.merged_into && hops < 8; hops++) row = rowsById.get(row.merged_into);
    return row?.merged_into ? undefined : row;
  };
  const survivors = new Map<string, { id: string; erased_at: number | null }>();
  for (const id of contactIds) {
    const survivor = survivorOf(id);
    if (survivor) survivors.set(id, survivor);
  }
  const survivorIds = [...new Set([...survivors.values()].map((s) => s.id))];
  const members = new Map<string, string[]>(survivorIds.map((id) => [id, [id]]));
  for (let i = 0; i < survivorIds.length; i += CHUNK) {
    // Sorted here, not in SQL: ORDER BY id with an IN list makes SQLite walk the (workspace_id, id) index.
    const rows = await db.selectFrom('contacts').select(['id', 'merged_into']).where('workspace_id', '=', workspaceId).where('merged_into', 'in', survivorIds.slice(i, i + CHUNK)).execute();
    rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const row of rows) members.get(row.merged_into!)!.push(row.id);
  }
  const out = new Map<string, ResolvedContact>();
  for (const [id, survivor] of survivors) out.set(id, { id: survivor.id, erasedAt: survivor.erased_at, memberIds: members.get(survivor.id)! });
  return out;
}

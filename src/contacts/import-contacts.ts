import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Channel, ConsentStatus, Purpose } from '../policy/consent-words.js';
import type { Actor } from '../access/actor.js';
import { ParleyError } from '../errors/parley-error.js';
import { newId } from '../shared/ids.js';
import { emailHash, phoneHash, phoneLookupHashes, waIdHash } from './contact-hashes.js';
import { replaceContactIndexes, type ContactIndexEntry } from './contact-indexes.js';
import { contactRow } from './contact-row.js';
import { openJsonColumn, sealJsonColumn } from './contact.js';
import type { AttributeValue, PreparedContact } from './contact-input.js';
import type { CsvRecord } from './csv.js';
import { planColumns, prepareRow, type ImportPlan, type PreparedRow } from './import-plan.js';
import type { ContactsTable } from './tables.js';

export interface ImportRowError {
  /** The record's position (CSV: the header is row 1, as in a spreadsheet; JSON: 1-based index). */
  row: number;
  /** The column (CSV header name) the problem is in, or null for the whole row. */
  column: string | null;
  message: string;
}

export interface ImportProgress {
  done: number;
  created: number;
  updated: number;
  failed: number;
}

export interface ImportReport extends ImportProgress {
  /** Rows read, blank rows excluded. */
  total: number;
  consentRecords: number;
  errors: ImportRowError[];
  /** True when more rows failed than `errors` lists (the count is in `failed`). */
  errorsTruncated: boolean;
  /** Columns imported as attributes because they are not a known field. */
  attributeColumns: string[];
}

/** A consent record an import row asks for (source `import`), as the consent ledger takes it. */
export interface ImportedConsent {
  contactId: string;
  purpose: Purpose;
  channel: Channel;
  status: ConsentStatus;
  source: 'import';
  effectiveAt: number;
  wording: string | null;
  actor: Actor;
  dedupKey: string | null;
}

/**
 * The consent ledger as the import writes to it: records are prepared (encrypted) before the
 * transaction and inserted inside it, with the contacts. The consent module implements it
 * (`consentLedger` in `consent/ledger-queries.ts`); contacts does not import consent.
 */
export interface ImportConsentLedger<P = any> {
  prepare(keyring: Keyring, workspaceId: string, records: readonly ImportedConsent[], now: number): Promise<P>;
  insert(trx: Db, prepared: P): Promise<ReadonlyArray<{ created: boolean }>>;
}

export interface ImportOptions {
  /** Where consent columns are recorded. */
  consentLedger: ImportConsentLedger;
  /** Country for national numbers when the row has no country column value (e.g. BR). */
  defaultCountry?: string;
  actor: Actor;
  /** Rows per transaction. */
  batchSize?: number;
  /** How many row errors to keep in the report (all are counted). */
  maxErrors?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Called with the column plan before any row is written; may throw to refuse the import. */
  onPlan?: (plan: ImportPlan) => void;
  now?: () => number;
}

/** Who writes a batch, and where its consent goes. */
interface WrittenBy {
  actor: Actor;
  ledger: ImportConsentLedger;
}

interface PendingRow {
  row: number;
  prepared: PreparedRow;
}

/**
 * Imports contacts from CSV records (the first is the header). Rows are validated one by one; a bad
 * row is reported (row, column, what is wrong) and skipped, never stopping the others. Good rows are
 * written in batches, one transaction each: contacts whose phone (any equivalent form) or, without a
 * phone, whose e-mail is already known are updated (given fields replace, tags are added, attributes
 * merged); the rest are created. A row repeating an earlier row's number updates that contact.
 * Consent columns append ledger records with source `import`.
 */
export async function importContacts(db: Db, keyring: Keyring, workspaceId: string, records: AsyncIterable<CsvRecord> | Iterable<CsvRecord>, options: ImportOptions): Promise<ImportReport> {
  const batchSize = options.batchSize ?? 1000;
  const maxErrors = options.maxErrors ?? 10_000;
  const now = options.now ?? Date.now;
  const report: ImportReport = { total: 0, done: 0, created: 0, updated: 0, failed: 0, consentRecords: 0, errors: [], errorsTruncated: false, attributeColumns: [] };
  const fail = (error: ImportRowError) => {
    report.failed++;
    if (report.errors.length < maxErrors) report.errors.push(error);
    else report.errorsTruncated = true;
  };
  let plan: ImportPlan | undefined;
  let batch: PendingRow[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const pending = batch;
    batch = [];
    await writeBatch(db, keyring, workspaceId, pending, { actor: options.actor, ledger: options.consentLedger }, now(), report, fail);
    report.done += pending.length;
    options.onProgress?.({ done: report.done, created: report.created, updated: report.updated, failed: report.failed });
  };
  for await (const record of records) {
    if (!plan) {
      const planned = planColumns(record.fields);
      if (!planned.ok) throw new ParleyError('CONTACT_IMPORT_INVALID', { message: `The header (row ${record.row}) cannot be imported: ${planned.message}` });
      plan = planned.plan;
      options.onPlan?.(plan);
      report.attributeColumns = plan.attributeColumns;
      continue;
    }
    if (record.unterminated) {
      report.total++;
      report.done++;
      fail({ row: record.row, column: null, message: 'a quoted value is never closed: the file ends inside quotes.' });
      continue;
    }
    const result = prepareRow(record.fields, plan, options.defaultCountry, now());
    if (result.ok === 'blank') continue;
    report.total++;
    if (result.ok === false) {
      report.done++;
      fail({ row: record.row, column: result.column, message: result.message });
      continue;
    }
    batch.push({ row: record.row, prepared: result.row });
    if (batch.length >= batchSize) await flush();
  }
  if (!plan) throw new ParleyError('CONTACT_IMPORT_INVALID', { message: 'The file is empty: it needs a header line and at least one row.' });
  await flush();
  options.onProgress?.({ done: report.done, created: report.created, updated: report.updated, failed: report.failed });
  return report;
}

/** Writes one batch in a transaction; if that fails as a whole, row by row, so one bad row fails alone. */
async function writeBatch(db: Db, keyring: Keyring, workspaceId: string, rows: PendingRow[], by: WrittenBy, now: number, report: ImportReport, fail: (e: ImportRowError) => void): Promise<void> {
  try {
    const counts = await writeRows(db, keyring, workspaceId, rows, by, now);
    report.created += counts.created;
    report.updated += counts.updated;
    report.consentRecords += counts.consentRecords;
    return;
  } catch (error) {
    if (rows.length === 1) {
      fail({ row: rows[0].row, column: null, message: `could not be stored: ${(error as Error).message}` });
      return;
    }
  }
  for (const row of rows) await writeBatch(db, keyring, workspaceId, [row], by, now, report, fail);
}

interface Target {
  /** The existing row, when the contact is already known. */
  existing?: ContactRowLike;
  id: string;
  contact: PreparedContact;
  consents: Array<{ row: PreparedRow }>;
  isNew: boolean;
  duplicates: number;
}

type ContactRowLike = { id: string; merged_into: string | null; phone_hash: string | null; email_hash: string | null; tags: string; attributes: string };

async function writeRows(db: Db, keyring: Keyring, workspaceId: string, rows: PendingRow[], { actor, ledger }: WrittenBy, now: number) {
  // Find what is already known: by phone (every equivalent form), else by e-mail.
  const phoneHashes = new Map<number, string[]>();
  const emailHashes = new Map<number, string>();
  for (const [i, r] of rows.entries()) {
    if (r.prepared.contact.phone) phoneHashes.set(i, phoneLookupHashes(keyring, workspaceId, r.prepared.contact.phone));
    else if (r.prepared.contact.email) emailHashes.set(i, emailHash(keyring, workspaceId, r.prepared.contact.email));
  }
  const allPhoneHashes = [...new Set([...phoneHashes.values()].flat())];
  const allEmailHashes = [...new Set(emailHashes.values())];
  const known = new Map<string, ContactRowLike>();
  const columns = ['id', 'merged_into', 'phone_hash', 'email_hash', 'tags', 'attributes'] as const;
  for (let i = 0; i < allPhoneHashes.length; i += 1000) {
    for (const row of await db.selectFrom('contacts').select(columns).where('workspace_id', '=', workspaceId).where('phone_hash', 'in', allPhoneHashes.slice(i, i + 1000)).execute()) known.set(`p:${row.phone_hash}`, row);
  }
  for (let i = 0; i < allEmailHashes.length; i += 1000) {
    const found = await db.selectFrom('contacts').select(columns).where('workspace_id', '=', workspaceId).where('email_hash', 'in', allEmailHashes.slice(i, i + 1000)).where('erased_at', 'is', null).orderBy('id').execute();
    for (const row of found) if (!known.has(`e:${row.email_hash}`)) known.set(`e:${row.email_hash}`, row);
  }
  // Merged contacts are updated through their survivor.
  const survivorIds = [...new Set([...known.values()].filter((r) => r.merged_into).map((r) => r.merged_into!))];
  const survivors = new Map<string, ContactRowLike>();
  for (let i = 0; i < survivorIds.length; i += 1000) {
    for (const row of await db.selectFrom('contacts').select(columns).where('id', 'in', survivorIds.slice(i, i + 1000)).execute()) survivors.set(row.id, row);
  }

  // Group rows by the contact they land on (an earlier row of this batch counts as known).
  const targets = new Map<string, Target>();
  const byKey = new Map<string, Target>();
  for (const [i, r] of rows.entries()) {
    const keys = phoneHashes.has(i) ? phoneHashes.get(i)!.map((h) => `p:${h}`) : emailHashes.has(i) ? [`e:${emailHashes.get(i)}`] : [];
    let target = keys.map((k) => byKey.get(k)).find((t): t is Target => t !== undefined);
    let first = false;
    if (!target) {
      const found = keys.map((k) => known.get(k)).find((row): row is ContactRowLike => row !== undefined);
      const existing = found?.merged_into ? survivors.get(found.merged_into) : found;
      target = existing ? targets.get(existing.id) : undefined;
      if (!target) {
        first = true;
        target = existing
          ? { existing, id: existing.id, contact: r.prepared.contact, consents: [], isNew: false, duplicates: 0 }
          : { id: newId('ct', now), contact: r.prepared.contact, consents: [], isNew: true, duplicates: 0 };
        targets.set(target.id, target);
      }
    }
    if (!first) {
      target.contact = combine(target.contact, r.prepared.contact);
      target.duplicates++;
    }
    for (const k of keys) byKey.set(k, target);
    target.consents.push({ row: r.prepared });
  }

  // Everything is encrypted before the transaction opens: encryption may read data keys, and on
  // SQLite (one connection) that must not wait behind our own transaction.
  let created = 0;
  let updated = 0;
  const fresh: Array<Insertable<ContactsTable>> = [];
  const freshIndexes: ContactIndexEntry[] = [];
  const changed: Array<{ id: string; set: Updateable<ContactsTable> }> = [];
  const changedIndexes: ContactIndexEntry[] = [];
  for (const target of targets.values()) {
    if (target.isNew) {
      fresh.push(await contactRow(keyring, workspaceId, target.id, target.contact, now));
      freshIndexes.push({ contactId: target.id, tags: target.contact.tags, attributes: target.contact.attributes });
      created++;
      updated += target.duplicates;
      continue;
    }
    const existing = target.existing!;
    const tags = [...new Set([...(await openJsonColumn<string[]>(keyring, workspaceId, existing.tags)), ...target.contact.tags])];
    const attributes = { ...(await openJsonColumn<Record<string, AttributeValue>>(keyring, workspaceId, existing.attributes)), ...target.contact.attributes };
    changed.push({ id: target.id, set: await updateSet(keyring, workspaceId, target.contact, tags, attributes, now) });
    changedIndexes.push({ contactId: target.id, tags, attributes });
    updated += 1 + target.duplicates;
  }
  const consentInputs: ImportedConsent[] = [];
  for (const target of targets.values()) {
    for (const { row } of target.consents) {
      for (const c of row.consents) {
        const effectiveAt = row.consentAt ?? now;
        consentInputs.push({
          contactId: target.id,
          purpose: c.purpose,
          channel: c.channel,
          status: c.status,
          source: 'import',
          effectiveAt,
          wording: row.consentWording,
          actor,
          // Importing the same file twice does not record the same dated consent twice.
          dedupKey: row.consentAt !== null ? `import:${target.id}:${c.purpose}:${c.channel}:${c.status}:${effectiveAt}` : null,
        });
      }
    }
  }
  const consents = await ledger.prepare(keyring, workspaceId, consentInputs, now);

  const consentRecords = await db.transaction().execute(async (trx) => {
    for (const { id, set } of changed) await trx.updateTable('contacts').set(set).where('id', '=', id).execute();
    for (let i = 0; i < fresh.length; i += 1000) await trx.insertInto('contacts').values(fresh.slice(i, i + 1000)).execute();
    await replaceContactIndexes(trx, keyring, workspaceId, freshIndexes, { fresh: true });
    await replaceContactIndexes(trx, keyring, workspaceId, changedIndexes);
    return (await ledger.insert(trx, consents)).filter((r) => r.created).length;
  });
  return { created, updated, consentRecords };
}

/** A later row about the same person: its non-empty fields win, tags add up, attributes merge. */
function combine(a: PreparedContact, b: PreparedContact): PreparedContact {
  return {
    phone: b.phone ?? a.phone,
    country: b.phone ? b.country : a.country,
    waId: b.waId ?? a.waId,
    name: b.name ?? a.name,
    email: b.email ?? a.email,
    language: b.language ?? a.language,
    timeZone: b.timeZone ?? a.timeZone,
    attributes: { ...a.attributes, ...b.attributes },
    tags: [...new Set([...a.tags, ...b.tags])],
  };
}

async function updateSet(keyring: Keyring, workspaceId: string, c: PreparedContact, tags: string[], attributes: Record<string, AttributeValue>, now: number): Promise<Updateable<ContactsTable>> {
  const set: Updateable<ContactsTable> = { tags: await sealJsonColumn(keyring, workspaceId, tags), attributes: await sealJsonColumn(keyring, workspaceId, attributes), updated_at: now };
  if (c.name) set.name = await keyring.encrypt(workspaceId, c.name);
  if (c.email) Object.assign(set, { email: await keyring.encrypt(workspaceId, c.email), email_hash: emailHash(keyring, workspaceId, c.email) });
  if (c.language) set.language = c.language;
  if (c.timeZone) set.time_zone = c.timeZone;
  if (c.phone) Object.assign(set, { phone: await keyring.encrypt(workspaceId, c.phone), phone_hash: phoneHash(keyring, workspaceId, c.phone), country: c.country });
  if (c.waId) Object.assign(set, { wa_id: await keyring.encrypt(workspaceId, c.waId), wa_id_hash: waIdHash(keyring, workspaceId, c.waId) });
  return set;
}

/** CSV-shaped records from JSON rows (objects keyed by column name), for the API's JSON form. */
export function recordsFromObjects(rows: ReadonlyArray<Record<string, unknown>>): CsvRecord[] {
  const header: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!header.includes(key)) header.push(key);
  const cell = (v: unknown): string => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join('|') : typeof v === 'object' ? JSON.stringify(v) : String(v));
  // JSON rows are numbered from 1 in the report, so the header gets row 0.
  return [{ row: 0, fields: header }, ...rows.map((row, i) => ({ row: i + 1, fields: header.map((h) => cell(row[h])) }))];
}

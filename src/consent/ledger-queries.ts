import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import { newId } from '../shared/ids.js';
import type { ConsentRecordsTable } from './tables.js';
import type { Actor, Channel, ConsentProof, ConsentRecord, ConsentSource, ConsentStatus, Purpose } from './types.js';

export interface NewConsentRecord {
  contactId: string;
  purpose: Purpose;
  channel: Channel;
  status: ConsentStatus;
  source: ConsentSource;
  /** When the consent was given or withdrawn; defaults to the time of recording. */
  effectiveAt?: number;
  wording?: string | null;
  proof?: ConsentProof | null;
  actor: Actor;
  /** Makes the append idempotent: a second append with the same key returns the first record. */
  dedupKey?: string | null;
}

export interface AppendResult {
  record: ConsentRecord;
  /** False when a record with the same dedup key already existed (nothing was written). */
  created: boolean;
}

export const toConsentRecord = (row: Pick<ConsentRecordsTable, 'id' | 'contact_id' | 'purpose' | 'channel' | 'status' | 'source' | 'effective_at' | 'recorded_at' | 'wording' | 'actor'>): ConsentRecord => ({
  id: row.id,
  contactId: row.contact_id,
  purpose: row.purpose as Purpose,
  channel: row.channel as Channel,
  status: row.status as ConsentStatus,
  source: row.source as ConsentSource,
  effectiveAt: row.effective_at,
  recordedAt: row.recorded_at,
  wording: row.wording,
  actor: JSON.parse(row.actor) as Actor,
});

const RECORD_COLUMNS = ['id', 'contact_id', 'purpose', 'channel', 'status', 'source', 'effective_at', 'recorded_at', 'wording', 'actor', 'dedup_key'] as const;

/** Records ready to insert: ids assigned, proofs encrypted. Made outside any transaction. */
export interface PreparedConsentRecords {
  workspaceId: string;
  rows: ConsentRecordsTable[];
  /** Encrypted proof by record id. */
  proofs: Map<string, string>;
}

/**
 * Assigns ids and encrypts proofs. Kept apart from the insert because encryption may read data keys
 * from the database: on SQLite (one connection) that must not happen inside a transaction.
 */
export async function prepareConsentRecords(keyring: Keyring, workspaceId: string, inputs: readonly NewConsentRecord[], now = Date.now()): Promise<PreparedConsentRecords> {
  const rows: ConsentRecordsTable[] = [];
  const proofs = new Map<string, string>();
  for (const input of inputs) {
    const row = {
      id: newId('cr', now),
      workspace_id: workspaceId,
      contact_id: input.contactId,
      purpose: input.purpose,
      channel: input.channel,
      status: input.status,
      source: input.source,
      effective_at: input.effectiveAt ?? now,
      recorded_at: now,
      wording: input.wording ?? null,
      actor: JSON.stringify(input.actor),
      dedup_key: input.dedupKey ?? null,
    };
    rows.push(row);
    if (input.proof && Object.keys(input.proof).length > 0) proofs.set(row.id, await keyring.encrypt(workspaceId, JSON.stringify(input.proof)));
  }
  return { workspaceId, rows, proofs };
}

/**
 * Appends prepared records to the ledger (never updates one: the table refuses it) with their
 * proofs, in one transaction (the caller's, if `db` is one). Idempotent per dedup key: a record whose
 * key exists is not written again, and the existing one is returned with `created: false`.
 */
export async function insertConsentRecords(db: Db, prepared: PreparedConsentRecords): Promise<AppendResult[]> {
  const { workspaceId, rows } = prepared;
  if (rows.length === 0) return [];
  const write = async (trx: Db) => {
    const inserted = new Set<string>();
    for (let i = 0; i < rows.length; i += 500) {
      const ids = await trx.insertInto('consent_records').values(rows.slice(i, i + 500)).onConflict((oc) => oc.doNothing()).returning('id').execute();
      for (const { id } of ids) inserted.add(id);
    }
    const proofs = rows
      .filter((row) => inserted.has(row.id) && prepared.proofs.has(row.id))
      .map((row) => ({ record_id: row.id, workspace_id: workspaceId, contact_id: row.contact_id, proof: prepared.proofs.get(row.id)! }));
    for (let i = 0; i < proofs.length; i += 500) await trx.insertInto('consent_proofs').values(proofs.slice(i, i + 500)).execute();
    const missingKeys = rows.filter((r) => !inserted.has(r.id) && r.dedup_key !== null).map((r) => r.dedup_key!);
    const existing = new Map<string, ConsentRecord>();
    for (let i = 0; i < missingKeys.length; i += 500) {
      const found = await trx.selectFrom('consent_records').select(RECORD_COLUMNS).where('workspace_id', '=', workspaceId).where('dedup_key', 'in', missingKeys.slice(i, i + 500)).execute();
      for (const row of found) existing.set(row.dedup_key!, toConsentRecord(row));
    }
    return rows.map((row) => {
      if (inserted.has(row.id)) return { record: toConsentRecord(row), created: true };
      const prior = row.dedup_key !== null ? existing.get(row.dedup_key) : undefined;
      if (!prior) throw new Error(`consent record ${row.id} was neither inserted nor found by its dedup key`);
      return { record: prior, created: false };
    });
  };
  return db.isTransaction ? write(db) : db.transaction().execute(write);
}

/** Prepares and inserts in one call. Do not call it inside a transaction (see prepareConsentRecords). */
export async function appendConsentRecords(db: Db, keyring: Keyring, workspaceId: string, inputs: readonly NewConsentRecord[], now = Date.now()): Promise<AppendResult[]> {
  return insertConsentRecords(db, await prepareConsentRecords(keyring, workspaceId, inputs, now));
}

/** Every record of these contacts (a survivor and the contacts merged into it), oldest effective first. */
export async function listConsentRecords(db: Db, workspaceId: string, contactIds: readonly string[]): Promise<ConsentRecord[]> {
  if (contactIds.length === 0) return [];
  const rows = await db
    .selectFrom('consent_records')
    .select(RECORD_COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', 'in', contactIds)
    .orderBy('effective_at')
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
  return rows.map(toConsentRecord);
}

/** The decrypted proofs of these records, by record id (erased contacts have none left). */
export async function loadConsentProofs(db: Db, keyring: Keyring, workspaceId: string, recordIds: readonly string[]): Promise<Map<string, ConsentProof>> {
  const out = new Map<string, ConsentProof>();
  for (let i = 0; i < recordIds.length; i += 500) {
    const rows = await db.selectFrom('consent_proofs').select(['record_id', 'proof']).where('workspace_id', '=', workspaceId).where('record_id', 'in', recordIds.slice(i, i + 500)).execute();
    for (const row of rows) out.set(row.record_id, JSON.parse(await keyring.decrypt(workspaceId, row.proof)) as ConsentProof);
  }
  return out;
}

/** The ledger as the contact import writes to it (`ImportConsentLedger`, wired at the root and by the CLI). */
export const consentLedger = { prepare: prepareConsentRecords, insert: insertConsentRecords };

/**
 * Some contacts' records, newest effective first, before `before` (a page of their timeline,
 * `privacy/contact-timeline.ts`): effective strictly before `at`, at or before it (`tie: true`), or, at
 * `at` itself, with an id below `tie`.
 */
export async function consentRecordsBefore(db: Db, workspaceId: string, contactIds: readonly string[], before: { at: number; tie: boolean | string } | undefined, limit: number): Promise<ConsentRecord[]> {
  if (contactIds.length === 0) return [];
  let q = db.selectFrom('consent_records').select(RECORD_COLUMNS).where('workspace_id', '=', workspaceId).where('contact_id', 'in', contactIds);
  if (before) {
    const { at, tie } = before;
    if (typeof tie === 'string') q = q.where((eb) => eb.or([eb('effective_at', '<', at), eb.and([eb('effective_at', '=', at), eb('id', '<', tie)])]));
    else q = q.where('effective_at', tie ? '<=' : '<', at);
  }
  const rows = await q.orderBy('effective_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toConsentRecord);
}

import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import type { ContactsTable } from './tables.js';
import type { AttributeValue } from './contact-input.js';
import { isSealed } from '../messages/provider-ids.js';

/** A contact as the API returns it: personal fields decrypted (only here, on read). */
export interface Contact {
  id: string;
  workspaceId: string;
  phone: string | null;
  waId: string | null;
  name: string | null;
  email: string | null;
  language: string | null;
  timeZone: string | null;
  country: string | null;
  attributes: Record<string, AttributeValue>;
  tags: string[];
  mergedInto: string | null;
  erasedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export type ContactRow = Selectable<ContactsTable>;

export async function decryptContact(keyring: Keyring, row: ContactRow): Promise<Contact> {
  const ws = row.workspace_id;
  const [phone, waId, name, email, attributes, tags] = await Promise.all([
    keyring.decryptNullable(ws, row.phone),
    keyring.decryptNullable(ws, row.wa_id),
    keyring.decryptNullable(ws, row.name),
    keyring.decryptNullable(ws, row.email),
    openJsonColumn<Record<string, AttributeValue>>(keyring, ws, row.attributes),
    openJsonColumn<string[]>(keyring, ws, row.tags),
  ]);
  return {
    id: row.id,
    workspaceId: ws,
    phone,
    waId,
    name,
    email,
    language: row.language,
    timeZone: row.time_zone,
    country: row.country,
    attributes,
    tags,
    mergedInto: row.merged_into,
    erasedAt: row.erased_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function getContactRow(db: Db, workspaceId: string, id: string): Promise<ContactRow | undefined> {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
}

export async function getContact(db: Db, keyring: Keyring, workspaceId: string, id: string): Promise<Contact | undefined> {
  const row = await getContactRow(db, workspaceId, id);
  return row && decryptContact(keyring, row);
}

/** Some contacts of the workspace, decrypted, in id order. */
export async function getContacts(db: Db, keyring: Keyring, workspaceId: string, ids: readonly string[]): Promise<Contact[]> {
  const rows = await db.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', ids).orderBy('id').execute();
  return Promise.all(rows.map((row) => decryptContact(keyring, row)));
}

/** A JSON column stored encrypted (`attributes`, `tags`); a row not yet converted by 0008's backfill holds clear JSON. */
export async function openJsonColumn<T>(keyring: Keyring, workspaceId: string, stored: string): Promise<T> {
  return JSON.parse(isSealed(stored) ? await keyring.decrypt(workspaceId, stored) : stored) as T;
}

/** The stored form of an encrypted JSON column. */
export const sealJsonColumn = (keyring: Keyring, workspaceId: string, value: unknown): Promise<string> => keyring.encrypt(workspaceId, JSON.stringify(value));

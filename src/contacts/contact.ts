import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import type { ContactsTable } from './tables.js';
import type { AttributeValue } from './contact-input.js';

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
  const [phone, waId, name, email] = await Promise.all([
    keyring.decryptNullable(ws, row.phone),
    keyring.decryptNullable(ws, row.wa_id),
    keyring.decryptNullable(ws, row.name),
    keyring.decryptNullable(ws, row.email),
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
    attributes: JSON.parse(row.attributes) as Record<string, AttributeValue>,
    tags: JSON.parse(row.tags) as string[],
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

import type { Insertable } from 'kysely';
import type { Keyring } from '../crypto/keyring.js';
import { emailHash, phoneHash, waIdHash } from './contact-hashes.js';
import type { PreparedContact } from './contact-input.js';
import type { ContactsTable } from './tables.js';
import { sealJsonColumn } from './contact.js';

/** Encrypts a prepared contact into a row: each personal field sealed, hashes beside them for lookup. */
export async function contactRow(keyring: Keyring, workspaceId: string, id: string, c: PreparedContact, now: number): Promise<Insertable<ContactsTable>> {
  const [phone, waId, name, email, attributes, tags] = await Promise.all([
    keyring.encryptNullable(workspaceId, c.phone),
    keyring.encryptNullable(workspaceId, c.waId),
    keyring.encryptNullable(workspaceId, c.name),
    keyring.encryptNullable(workspaceId, c.email),
    sealJsonColumn(keyring, workspaceId, c.attributes),
    sealJsonColumn(keyring, workspaceId, c.tags),
  ]);
  return {
    id,
    workspace_id: workspaceId,
    phone_hash: c.phone ? phoneHash(keyring, workspaceId, c.phone) : null,
    phone,
    wa_id_hash: c.waId ? waIdHash(keyring, workspaceId, c.waId) : null,
    wa_id: waId,
    name,
    email_hash: c.email ? emailHash(keyring, workspaceId, c.email) : null,
    email,
    language: c.language,
    time_zone: c.timeZone,
    country: c.country,
    attributes,
    tags,
    merged_into: null,
    erased_at: null,
    created_at: now,
    updated_at: now,
  };
}

/** A new contact's row as callers outside this module hand it back for writing (`insertContacts`). */
export type NewContactRow = Insertable<ContactsTable> & { id: string };

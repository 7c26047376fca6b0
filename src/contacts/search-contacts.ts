import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import { ParleyError } from '../errors/parley-error.js';
import { attributeValueHash, emailHash, phoneLookupHashes, tagHash } from './contact-hashes.js';
import { decryptContact, type Contact } from './contact.js';
import { contactsNamed } from '../search/match.js';

export interface ContactSearch {
  /** Canonical E.164 (already validated); every equivalent form matches. */
  phone?: string;
  email?: string;
  tag?: string;
  /** Words of the name (`search/match.ts`: every one a word of it or the start of one). */
  name?: string;
  attribute?: { key: string; value: string };
  includeMerged?: boolean;
  includeErased?: boolean;
  limit: number;
  cursor?: string;
}

export interface ContactPage {
  data: Contact[];
  nextCursor: string | null;
}

// A cursor is the last id of the previous page, wrapped so clients treat it as opaque.
export const encodeCursor = (id: string): string => Buffer.from(`ct:${id}`).toString('base64url');

export function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^ct:(ct_[0-9A-Z]{26})$/.exec(decoded);
  if (!match) throw new ParleyError('CURSOR_INVALID', { field: '/cursor' });
  return match[1];
}

/**
 * One page of a workspace's contacts in creation order, filtered by any of phone (through the keyed
 * hash), e-mail (its hash), name (the search module's term hashes), tag and attribute (their search rows, keyed hashes too). Merged and erased contacts are left
 * out unless asked for.
 */
export async function searchContacts(db: Db, keyring: Keyring, workspaceId: string, search: ContactSearch): Promise<ContactPage> {
  let query = db.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId);
  if (search.phone) query = query.where('phone_hash', 'in', phoneLookupHashes(keyring, workspaceId, search.phone));
  if (search.email) query = query.where('email_hash', '=', emailHash(keyring, workspaceId, search.email));
  if (search.tag) {
    const tag = search.tag;
    const hash = tagHash(keyring, workspaceId, tag);
    query = query.where('id', 'in', (eb) => eb.selectFrom('contact_tags').select('contact_id').where('workspace_id', '=', workspaceId).where('tag_hash', '=', hash));
  }
  if (search.name !== undefined) {
    const named = contactsNamed(db, keyring, workspaceId, search.name);
    // A search with no word of two characters or more matches nothing.
    if (!named) return { data: [], nextCursor: null };
    query = query.where('id', 'in', named);
  }
  if (search.attribute) {
    const { key, value } = search.attribute;
    const hash = attributeValueHash(keyring, workspaceId, key, value);
    query = query.where('id', 'in', (eb) => eb.selectFrom('contact_attributes').select('contact_id').where('workspace_id', '=', workspaceId).where('key', '=', key).where('value_hash', '=', hash));
  }
  if (!search.includeMerged) query = query.where('merged_into', 'is', null);
  if (!search.includeErased) query = query.where('erased_at', 'is', null);
  if (search.cursor) query = query.where('id', '>', decodeCursor(search.cursor));
  const rows = await query.orderBy('id').limit(search.limit + 1).execute();
  const page = rows.slice(0, search.limit);
  return {
    data: await Promise.all(page.map((row) => decryptContact(keyring, row))),
    nextCursor: rows.length > search.limit ? encodeCursor(page[page.length - 1].id) : null,
  };
}

import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import { attributeValueHash, tagHash } from './contact-hashes.js';
import type { AttributeValue } from './contact-input.js';

export interface ContactIndexEntry {
  contactId: string;
  tags: readonly string[];
  attributes: Readonly<Record<string, AttributeValue>>;
}

/** The text an attribute is searched by (`?attribute=key=value`); null attributes are not indexed. */
export const attributeSearchValue = (value: AttributeValue): string | null => (value === null ? null : String(value));

// Rows per insert statement: well under both dialects' bound-parameter limits.
const CHUNK = 1000;

/**
 * Rewrites the search rows (`contact_tags`, `contact_attributes`) of these contacts to match their
 * tags and attributes, as keyed hashes (HMAC only: no data key, so it is safe inside a transaction).
 * Call it in the transaction that writes the contacts.
 */
export async function replaceContactIndexes(db: Db, keyring: Keyring, workspaceId: string, entries: readonly ContactIndexEntry[], options: { fresh?: boolean } = {}): Promise<void> {
  if (entries.length === 0) return;
  const ids = entries.map((e) => e.contactId);
  if (!options.fresh) {
    for (let i = 0; i < ids.length; i += CHUNK) {
      await db.deleteFrom('contact_tags').where('contact_id', 'in', ids.slice(i, i + CHUNK)).execute();
      await db.deleteFrom('contact_attributes').where('contact_id', 'in', ids.slice(i, i + CHUNK)).execute();
    }
  }
  const tags = entries.flatMap((e) => [...new Set(e.tags)].map((tag) => ({ contact_id: e.contactId, workspace_id: workspaceId, tag_hash: tagHash(keyring, workspaceId, tag) })));
  const attributes = entries.flatMap((e) =>
    Object.entries(e.attributes).flatMap(([key, value]) => {
      const text = attributeSearchValue(value);
      return text === null ? [] : [{ contact_id: e.contactId, workspace_id: workspaceId, key, value_hash: attributeValueHash(keyring, workspaceId, key, text) }];
    }),
  );
  for (let i = 0; i < tags.length; i += CHUNK) await db.insertInto('contact_tags').values(tags.slice(i, i + CHUNK)).execute();
  for (let i = 0; i < attributes.length; i += CHUNK) await db.insertInto('contact_attributes').values(attributes.slice(i, i + CHUNK)).execute();
}

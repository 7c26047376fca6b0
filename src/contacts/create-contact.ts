import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import { ParleyError } from '../errors/parley-error.js';
import { newId } from '../shared/ids.js';
import { findContactByPhone } from './contact-queries.js';
import { replaceContactIndexes } from './contact-indexes.js';
import { decryptContact, type Contact } from './contact.js';
import type { PreparedContact } from './contact-input.js';
import { contactRow } from './contact-row.js';

/** Creates a contact; a phone number already held (in any equivalent form) is CONTACT_EXISTS. */
export async function createContact(db: Db, keyring: Keyring, workspaceId: string, prepared: PreparedContact, now = Date.now()): Promise<Contact> {
  const conflict = async () => {
    const existing = prepared.phone ? await findContactByPhone(db, keyring, workspaceId, prepared.phone) : undefined;
    return new ParleyError('CONTACT_EXISTS', { field: '/phone', details: { contactId: existing?.id } });
  };
  if (prepared.phone && (await findContactByPhone(db, keyring, workspaceId, prepared.phone))) throw await conflict();
  const row = await contactRow(keyring, workspaceId, newId('ct', now), prepared, now);
  const inserted = await db.transaction().execute(async (trx) => {
    const result = await trx.insertInto('contacts').values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await replaceContactIndexes(trx, keyring, workspaceId, [{ contactId: row.id, tags: prepared.tags, attributes: prepared.attributes }], { fresh: true });
    return true;
  });
  // Lost a race with a concurrent create of the same number: the unique index decided.
  if (!inserted) throw await conflict();
  return decryptContact(keyring, { ...row, merged_into: null, erased_at: null } as Parameters<typeof decryptContact>[1]);
}

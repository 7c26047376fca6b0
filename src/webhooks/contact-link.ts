import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import { findContactByWaId, findOrCreateContactByPhone, setContactName, setContactWaId } from '../contacts/contact-queries.js';
import { normalizePhone } from '../contacts/phone.js';

/**
 * Identity resolution for inbound webhooks, in one place so the contacts module can improve it
 * (Brazil's 9th digit, merges) without touching webhook code: the contact whose `wa_id` matches,
 * else the contact for the number `+<wa_id>`, created if absent. Runs outside processing
 * transactions (it encrypts, and the keyring may read data keys).
 */
export async function resolveInboundContact(db: Db, keyring: Keyring, workspaceId: string, waId: string, profileName: string | undefined, now: number): Promise<{ id: string; created: boolean }> {
  const byWaId = await findContactByWaId(db, keyring, workspaceId, waId);
  if (byWaId) return { id: byWaId.id, created: false };
  const e164 = normalizePhone(waId)?.e164 ?? `+${waId}`;
  const contact = await findOrCreateContactByPhone(db, keyring, workspaceId, e164, now);
  if (contact.created && profileName) {
    await setContactName(db, contact.id, await keyring.encrypt(workspaceId, profileName), now);
  }
  return { id: contact.id, created: contact.created };
}

/** The values that relink a contact to a new WhatsApp id (`user_changed_number`), computed outside the transaction. */
export async function prepareWaIdRelink(keyring: Keyring, workspaceId: string, newWaId: string): Promise<{ waIdHash: string; waId: string }> {
  return { waIdHash: keyring.lookupHash(workspaceId, `wa:${newWaId}`), waId: await keyring.encrypt(workspaceId, newWaId) };
}

/** Points the contact at its new WhatsApp id; later messages from the new id find the same contact. */
export async function relinkWaId(db: Db, contactId: string, relink: { waIdHash: string; waId: string }, now: number): Promise<void> {
  await setContactWaId(db, contactId, relink, now);
}

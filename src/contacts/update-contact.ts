import type { Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import { ParleyError } from '../errors/parley-error.js';
import { isUniqueViolation } from '../db/errors.js';
import { emailHash, phoneHash, waIdHash } from './contact-hashes.js';
import { findContactByPhone } from './contact-queries.js';
import { replaceContactIndexes } from './contact-indexes.js';
import { decryptContact, getContactRow, sealJsonColumn, type Contact } from './contact.js';
import { checkAttributes, checkEmail, checkLanguage, checkName, checkPhone, checkTags, checkTimeZone, checkWaId, type AttributeValue, type Checked, type FieldProblem } from './contact-input.js';
import { toWaId } from './phone.js';
import { guessTimeZone } from './time-zone-guess.js';
import type { ContactsTable } from './tables.js';

/**
 * A change to a contact. Absent fields stay as they are; `null` clears a field. `attributes` are
 * merged key by key (a `null` value removes the key); `tags` replace the list. A new phone number
 * re-derives the wa_id (unless one is given) and, when the time zone was the guess for the old
 * number, the time zone.
 */
export interface ContactPatch {
  phone?: string;
  country?: string;
  waId?: string | null;
  name?: string | null;
  email?: string | null;
  language?: string | null;
  timeZone?: string | null;
  attributes?: Record<string, unknown>;
  tags?: string[];
}

interface PatchedFields {
  phone?: { e164: string; country: string | null };
  waId?: string | null;
  name?: string | null;
  email?: string | null;
  language?: string | null;
  timeZone?: string | null;
  attributes?: Record<string, AttributeValue>;
  tags?: string[];
}

/** Validates a patch against the current contact. Pure. */
export function preparePatch(current: Contact, patch: ContactPatch): Checked<PatchedFields> {
  const out: PatchedFields = {};
  const fail = (problem: FieldProblem): Checked<never> => ({ ok: false, problem });
  const nullable = <T>(value: string | null | undefined, check: (v: string) => Checked<T>, assign: (v: T | null) => void): FieldProblem | undefined => {
    if (value === undefined) return undefined;
    if (value === null || value === '') return void assign(null);
    const checked = check(value);
    if (!checked.ok) return checked.problem;
    assign(checked.value);
    return undefined;
  };
  if (patch.phone !== undefined) {
    const checked = checkPhone(patch.phone, patch.country);
    if (!checked.ok) return checked;
    if (checked.value.e164 !== current.phone) out.phone = checked.value;
  }
  const problem =
    nullable(patch.waId, (v) => checkWaId(v), (v) => (out.waId = v)) ??
    nullable(patch.name, (v) => checkName(v), (v) => (out.name = v)) ??
    nullable(patch.email, (v) => checkEmail(v), (v) => (out.email = v)) ??
    nullable(patch.language, (v) => checkLanguage(v), (v) => (out.language = v)) ??
    nullable(patch.timeZone, (v) => checkTimeZone(v), (v) => (out.timeZone = v));
  if (problem) return fail(problem);
  if (out.phone && patch.waId === undefined) out.waId = toWaId(out.phone.e164);
  if (out.phone && patch.timeZone === undefined && current.timeZone === (current.phone ? guessTimeZone(current.phone) ?? null : null)) {
    out.timeZone = guessTimeZone(out.phone.e164) ?? null;
  }
  if (patch.attributes !== undefined) {
    const merged: Record<string, unknown> = { ...current.attributes };
    for (const [key, value] of Object.entries(patch.attributes)) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    const checked = checkAttributes(merged);
    if (!checked.ok) return checked;
    out.attributes = checked.value;
  }
  if (patch.tags !== undefined) {
    const checked = checkTags(patch.tags);
    if (!checked.ok) return checked;
    out.tags = checked.value;
  }
  const wouldHave = { phone: out.phone?.e164 ?? current.phone, waId: out.waId !== undefined ? out.waId : current.waId, email: out.email !== undefined ? out.email : current.email };
  if (!wouldHave.phone && !wouldHave.waId && !wouldHave.email) return fail({ field: 'email', message: 'A contact needs a phone number, a WhatsApp id or an e-mail address; this change would leave none.' });
  return { ok: true, value: out };
}

/** Applies a patch to a live contact and returns it as it now is. */
export async function updateContact(db: Db, keyring: Keyring, workspaceId: string, id: string, patch: ContactPatch, now = Date.now()): Promise<Contact> {
  const row = await getContactRow(db, workspaceId, id);
  if (!row) throw new ParleyError('CONTACT_NOT_FOUND');
  if (row.erased_at !== null) throw new ParleyError('CONTACT_ERASED');
  if (row.merged_into !== null) throw new ParleyError('CONTACT_MERGED', { details: { mergedInto: row.merged_into } });
  const current = await decryptContact(keyring, row);
  const prepared = preparePatch(current, patch);
  if (!prepared.ok) throw new ParleyError('CONTACT_FIELD_INVALID', { message: `Invalid ${prepared.problem.field}: ${prepared.problem.message}`, field: `/${prepared.problem.field}` });
  const p = prepared.value;
  if (p.phone) {
    const holder = await findContactByPhone(db, keyring, workspaceId, p.phone.e164);
    if (holder && holder.id !== id) throw new ParleyError('CONTACT_EXISTS', { field: '/phone', details: { contactId: holder.id } });
  }
  const set: Updateable<ContactsTable> = { updated_at: now };
  if (p.phone) Object.assign(set, { phone: await keyring.encrypt(workspaceId, p.phone.e164), phone_hash: phoneHash(keyring, workspaceId, p.phone.e164), country: p.phone.country });
  if (p.waId !== undefined) Object.assign(set, { wa_id: await keyring.encryptNullable(workspaceId, p.waId), wa_id_hash: p.waId ? waIdHash(keyring, workspaceId, p.waId) : null });
  if (p.name !== undefined) set.name = await keyring.encryptNullable(workspaceId, p.name);
  if (p.email !== undefined) Object.assign(set, { email: await keyring.encryptNullable(workspaceId, p.email), email_hash: p.email ? emailHash(keyring, workspaceId, p.email) : null });
  if (p.language !== undefined) set.language = p.language;
  if (p.timeZone !== undefined) set.time_zone = p.timeZone;
  if (p.attributes !== undefined) set.attributes = await sealJsonColumn(keyring, workspaceId, p.attributes);
  if (p.tags !== undefined) set.tags = await sealJsonColumn(keyring, workspaceId, p.tags);
  try {
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('contacts').set(set).where('id', '=', id).where('workspace_id', '=', workspaceId).execute();
      if (p.attributes !== undefined || p.tags !== undefined) {
        await replaceContactIndexes(trx, keyring, workspaceId, [{ contactId: id, tags: p.tags ?? current.tags, attributes: p.attributes ?? current.attributes }]);
      }
    });
  } catch (error) {
    // A concurrent create or update took the number between the check above and this write.
    if (p.phone && isUniqueViolation(error)) throw new ParleyError('CONTACT_EXISTS', { field: '/phone' });
    throw error;
  }
  const updated = await getContactRow(db, workspaceId, id);
  return decryptContact(keyring, updated!);
}

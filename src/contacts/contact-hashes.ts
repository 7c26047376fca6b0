import type { Keyring } from '../crypto/keyring.js';
import { canonicalPhone, equivalentPhones } from './phone-equivalence.js';

// The keyed hashes contacts are found by. Each kind of value has its own namespace in the hash
// input, so a phone number and a wa_id with the same digits do not collide.

/** The hash stored in `phone_hash`: of the canonical form, so every equivalent form finds the same contact. */
export const phoneHash = (keyring: Keyring, workspaceId: string, e164: string): string => keyring.lookupHash(workspaceId, canonicalPhone(e164));

/**
 * Hashes to look a number up by: its canonical form first, then every equivalent form as written
 * (rows hashed before equivalence rules existed, or by an older rule set, are still found).
 */
export function phoneLookupHashes(keyring: Keyring, workspaceId: string, e164: string): string[] {
  const forms = [canonicalPhone(e164), ...equivalentPhones(e164)];
  return [...new Set(forms.map((form) => keyring.lookupHash(workspaceId, form)))];
}

export const waIdHash = (keyring: Keyring, workspaceId: string, waId: string): string => keyring.lookupHash(workspaceId, `wa:${waId}`);

/** E-mail addresses compare case-insensitively (the local part is case-sensitive in theory, never in practice). */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export const emailHash = (keyring: Keyring, workspaceId: string, email: string): string => keyring.lookupHash(workspaceId, `email:${normalizeEmail(email)}`);

/** The hash a tag is searched by (`contact_tags.tag_hash`): tags name people's circumstances, so they are not stored in clear. */
export const tagHash = (keyring: Keyring, workspaceId: string, tag: string): string => keyring.lookupHash(workspaceId, `tag:${tag}`);

/** The hash an attribute is searched by (`contact_attributes.value_hash`): of its key and its value as text. */
export const attributeValueHash = (keyring: Keyring, workspaceId: string, key: string, text: string): string => keyring.lookupHash(workspaceId, `attr:${key}\u0000${text}`);

import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Terminology
 * - preference link: `<public url>/preferences/<token>`, sent to a customer so they can see and
 *   change their consent without logging in. Whoever holds the link can change that contact's
 *   consent until it expires, so it is signed, expires, and the page sends no Referer.
 * - token: `v1.<workspace id>.<contact id>.<expiry, epoch ms in base 36>.<signature>`, the ids
 *   without their `ws_` / `ct_` prefixes; the signature is HMAC-SHA256 over everything before it,
 *   keyed by `keyring.systemKey('preference-link')`, truncated to 128 bits. About 90 characters: short
 *   in a WhatsApp message, and within the router's limit for a path parameter.
 */
export interface PreferenceClaims {
  workspaceId: string;
  contactId: string;
  expiresAt: number;
}

export const PREFERENCE_KEY_PURPOSE = 'preference-link';

const sign = (key: Buffer, body: string): string => createHmac('sha256', key).update(body).digest().subarray(0, 16).toString('base64url');

export function signPreferenceToken(key: Buffer, claims: PreferenceClaims): string {
  const body = `v1.${claims.workspaceId.replace(/^ws_/, '')}.${claims.contactId.replace(/^ct_/, '')}.${claims.expiresAt.toString(36)}`;
  return `${body}.${sign(key, body)}`;
}

export type TokenCheck = { ok: true; claims: PreferenceClaims } | { ok: false; reason: 'malformed' | 'tampered' | 'expired' };

/** Checks a token's shape, signature (in constant time) and expiry, in that order. */
export function verifyPreferenceToken(key: Buffer, token: string, now: number): TokenCheck {
  const match = /^v1\.([0-9A-Z]{26})\.([0-9A-Z]{26})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, workspace, contact, expiry, signature] = match;
  const expected = Buffer.from(sign(key, `v1.${workspace}.${contact}.${expiry}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'tampered' };
  const expiresAt = parseInt(expiry, 36);
  if (!(expiresAt > now)) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { workspaceId: `ws_${workspace}`, contactId: `ct_${contact}`, expiresAt } };
}

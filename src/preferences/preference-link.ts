import type { PreferenceLinkFor } from '../consent/send-confirmation.js';
import type { Keyring } from '../crypto/keyring.js';
import { DAY } from '../shared/time.js';
import { PREFERENCE_KEY_PURPOSE, signPreferenceToken } from './preference-token.js';

/** How long a link created through the API lives unless the caller says otherwise. */
export const DEFAULT_LINK_TTL = 7 * DAY;
/** The longest a link may live: a link is a bearer capability over someone's consent. */
export const MAX_LINK_TTL = 90 * DAY;
/** Links in opt-out confirmations: long enough to be useful when the customer changes their mind. */
export const CONFIRMATION_LINK_TTL = 30 * DAY;

export function preferenceLink(keyring: Keyring, baseUrl: string, claims: { workspaceId: string; contactId: string }, now: number, ttl = DEFAULT_LINK_TTL): { url: string; expiresAt: number } {
  const expiresAt = now + ttl;
  const token = signPreferenceToken(keyring.systemKey(PREFERENCE_KEY_PURPOSE), { ...claims, expiresAt });
  return { url: `${baseUrl.replace(/\/+$/, '')}/preferences/${token}`, expiresAt };
}

/**
 * The link an opt-out / opt-in confirmation carries (consent's `PreferenceLinkFor` port, wired at the
 * root): the contact's preference page for CONFIRMATION_LINK_TTL, or none when Parley has no public URL.
 */
export const confirmationLink: PreferenceLinkFor = (ctx, claims) =>
  ctx.config.publicUrl ? preferenceLink(ctx.keyring, ctx.config.publicUrl, claims, ctx.clock.now(), CONFIRMATION_LINK_TTL).url : undefined;

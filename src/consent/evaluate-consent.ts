import type { RefusalCode } from '../errors/refusal-codes.js';
import type { ConsentSettings } from './consent-settings.js';
import type { CurrentConsent } from './derive-consent.js';
import type { Channel, Purpose } from './types.js';

/**
 * Refusal codes of the consent gate; they end up in the message's decision log. What each means is
 * in the registry of refusal codes (errors/refusal-codes.ts).
 */
export const CONSENT_REFUSALS = {
  noOptIn: 'consent_no_opt_in',
  withdrawn: 'consent_withdrawn',
  contactUnknown: 'consent_contact_unknown',
  contactErased: 'consent_contact_erased',
} as const satisfies Record<string, RefusalCode>;

export type ConsentRefusalCode = (typeof CONSENT_REFUSALS)[keyof typeof CONSENT_REFUSALS];

export type ConsentEvaluation = { allowed: true; basis: string } | { allowed: false; code: ConsentRefusalCode; reason: string };

const at = (ms: number) => new Date(ms).toISOString();

/**
 * Whether a message of `purpose` may go to a contact on `channel`, given their current consent and
 * the workspace policy. Pure. The rules:
 * - marketing: needs a grant in force (no record = refused; withdrawn = refused);
 * - utility, authentication: per workspace policy; `implicit` allows unless withdrawn, `opt_in`
 *   needs a grant in force;
 * - service: allowed unless the customer withdrew service on that channel (only an explicit choice
 *   does that: the preference centre or the API; keywords withdraw `optOutPurposes`).
 */
export function evaluateConsent(purpose: Purpose, channel: Channel, current: CurrentConsent, policy: Pick<ConsentSettings, 'utility' | 'authentication'>): ConsentEvaluation {
  const state = current[purpose][channel];
  if (state?.status === 'withdrawn') {
    return { allowed: false, code: CONSENT_REFUSALS.withdrawn, reason: `The contact withdrew ${purpose} consent on ${channel} at ${at(state.since)} (source ${state.source}, record ${state.recordId}).` };
  }
  if (state?.status === 'granted') return { allowed: true, basis: `${purpose} on ${channel}: granted at ${at(state.since)} (source ${state.source}, record ${state.recordId}).` };
  const needsOptIn = purpose === 'marketing' || (purpose === 'utility' && policy.utility === 'opt_in') || (purpose === 'authentication' && policy.authentication === 'opt_in');
  if (needsOptIn) {
    const why = purpose === 'marketing' ? 'Marketing always needs an opt-in' : `The workspace policy requires an opt-in for ${purpose} messages`;
    return { allowed: false, code: CONSENT_REFUSALS.noOptIn, reason: `${why}; the contact has none in force on ${channel}. Record one with POST /v1/contacts/{id}/consent.` };
  }
  return { allowed: true, basis: `${purpose} on ${channel}: no record; allowed by ${purpose === 'service' ? 'default (service replies)' : 'the workspace policy (implicit)'} unless withdrawn.` };
}

import type { Gate, OutboundDraft, Verdict } from '../outbound/gates/gate.js';
import type { ParleyContext } from '../runtime/context.js';
import { resolveContact } from '../contacts/contact-queries.js';
import { loadConsentSettings, type ConsentSettings } from './consent-settings.js';
import { deriveConsent } from './derive-consent.js';
import { CONSENT_REFUSALS, evaluateConsent } from './evaluate-consent.js';
import { listConsentRecords } from './ledger-queries.js';
import type { ConsentRecord } from './types.js';

/** What the consent gate needs to know: the contact (after following merges), its ledger, the policy. */
export interface ConsentFacts {
  contact: { id: string; erased: boolean } | null;
  /** Ledger records of the contact and of every contact merged into it. */
  records: ConsentRecord[];
  policy: Pick<ConsentSettings, 'utility' | 'authentication'>;
}

/**
 * Pure decision: consent is derived from the records as of `now` (not as of when the message was
 * accepted), so a withdrawal between acceptance and dispatch refuses the message at dispatch.
 */
export function decideConsent(draft: OutboundDraft, facts: ConsentFacts, now: number): Verdict {
  if (!facts.contact) return { outcome: 'refuse', code: CONSENT_REFUSALS.contactUnknown, reason: `Contact ${draft.contactId} does not exist in this workspace.` };
  if (facts.contact.erased) return { outcome: 'refuse', code: CONSENT_REFUSALS.contactErased, reason: `Contact ${facts.contact.id} was erased on request; nothing may be sent to it.` };
  const evaluation = evaluateConsent(draft.purpose, draft.channel, deriveConsent(facts.records, now), facts.policy);
  return evaluation.allowed ? { outcome: 'pass', note: evaluation.basis } : { outcome: 'refuse', code: evaluation.code, reason: evaluation.reason };
}

export async function loadConsentFacts(ctx: ParleyContext, draft: OutboundDraft): Promise<ConsentFacts> {
  const [contact, settings] = await Promise.all([resolveContact(ctx.db, draft.workspaceId, draft.contactId), loadConsentSettings(ctx.db, draft.workspaceId)]);
  const policy = { utility: settings.utility, authentication: settings.authentication };
  if (!contact) return { contact: null, records: [], policy };
  const records = await listConsentRecords(ctx.db, draft.workspaceId, contact.memberIds);
  return { contact: { id: contact.id, erased: contact.erasedAt !== null }, records, policy };
}

/** The consent gate of the outbound pipeline (M1.3). The outbound module puts it in its gate list. */
export const consentGate: Gate<ConsentFacts> = {
  name: 'consent',
  load: loadConsentFacts,
  decide: decideConsent,
};

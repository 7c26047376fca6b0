import type { Gate, OutboundDraft, Verdict } from '../policy/gate.js';
import type { ParleyContext } from '../runtime/context.js';
import { resolveContact, resolveContacts } from '../contacts/contact-queries.js';
import { cachedConsentSettings, type ConsentSettings } from './consent-settings.js';
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

/**
 * Facts for one message at accept. The workspace's policy is reused for up to FACTS_TTL_MS; a
 * contact created with this message (`draft.newContact`) has no records yet, so none are read.
 */
export async function loadConsentFacts(ctx: ParleyContext, draft: OutboundDraft): Promise<ConsentFacts> {
  const settingsOf = (workspaceId: string) => cachedConsentSettings(ctx, workspaceId);
  if (draft.newContact) {
    const settings = await settingsOf(draft.workspaceId);
    return { contact: { id: draft.contactId, erased: false }, records: [], policy: { utility: settings.utility, authentication: settings.authentication } };
  }
  const [contact, settings] = await Promise.all([resolveContact(ctx.db, draft.workspaceId, draft.contactId), settingsOf(draft.workspaceId)]);
  const policy = { utility: settings.utility, authentication: settings.authentication };
  if (!contact) return { contact: null, records: [], policy };
  const records = await listConsentRecords(ctx.db, draft.workspaceId, contact.memberIds);
  return { contact: { id: contact.id, erased: contact.erasedAt !== null }, records, policy };
}

/** Facts for a whole dispatch batch: a few queries per workspace, whatever the batch size. */
export async function loadConsentFactsMany(ctx: ParleyContext, drafts: OutboundDraft[]): Promise<ConsentFacts[]> {
  const byWorkspace = new Map<string, OutboundDraft[]>();
  for (const draft of drafts) byWorkspace.set(draft.workspaceId, [...(byWorkspace.get(draft.workspaceId) ?? []), draft]);
  const facts = new Map<OutboundDraft, ConsentFacts>();
  for (const [workspaceId, group] of byWorkspace) {
    // The policy is reused like at accept; the contact and its records are read afresh.
    const settings = await cachedConsentSettings(ctx, workspaceId);
    const policy = { utility: settings.utility, authentication: settings.authentication };
    const contacts = await resolveContacts(ctx.db, workspaceId, group.map((d) => d.contactId));
    const memberIds = [...new Set([...contacts.values()].flatMap((c) => c.memberIds))];
    const records: ConsentRecord[] = [];
    for (let i = 0; i < memberIds.length; i += 500) records.push(...(await listConsentRecords(ctx.db, workspaceId, memberIds.slice(i, i + 500))));
    const byContact = new Map<string, ConsentRecord[]>();
    for (const record of records) byContact.set(record.contactId, [...(byContact.get(record.contactId) ?? []), record]);
    for (const draft of group) {
      const contact = contacts.get(draft.contactId);
      facts.set(draft, contact
        ? { contact: { id: contact.id, erased: contact.erasedAt !== null }, records: contact.memberIds.flatMap((id) => byContact.get(id) ?? []), policy }
        : { contact: null, records: [], policy });
    }
  }
  return drafts.map((draft) => facts.get(draft)!);
}

/** The consent gate of the outbound pipeline (M1.3). The outbound module puts it in its gate list. */
export const consentGate: Gate<ConsentFacts, ParleyContext> = {
  name: 'consent',
  load: loadConsentFacts,
  loadMany: loadConsentFactsMany,
  decide: decideConsent,
};

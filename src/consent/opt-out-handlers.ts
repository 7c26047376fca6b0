import type { DomainEventHandler } from '../runtime/context.js';
import type { ParleyContext } from '../runtime/context.js';
import { languageAndCountryOf, resolveContact } from '../contacts/contact-queries.js';
import { confirmationLanguage, confirmationText } from './confirmation-texts.js';
import { cachedConsentSettings } from './consent-settings.js';
import { deriveConsent } from './derive-consent.js';
import { appendConsentRecords, listConsentRecords, type NewConsentRecord } from './ledger-queries.js';
import { detectOptKeyword, payloadMatches, type OptKind } from './opt-out-keywords.js';
import type { PreferenceLinkFor, SendConfirmation } from './send-confirmation.js';

export interface OptOutHandlers {
  inbound: DomainEventHandler<'message.inbound'>;
  marketingStopped: DomainEventHandler<'contact.marketing_stopped'>;
}

/**
 * Reactions to the customer's own consent signals (M2):
 * - an inbound message that is an opt-out or opt-in keyword (any language, whole message), or a
 *   button whose payload the workspace lists, withdraws / grants the workspace's `optOutPurposes`
 *   on each of its `optOutChannels` (ledger source `whatsapp`, proof = the inbound message id), and
 *   sends one confirmation in the customer's language through `send`;
 * - WhatsApp's own signals (error 131050, the `user_preferences` webhook), as
 *   `contact.marketing_stopped`, withdraw marketing on each `optOutChannels`, with no confirmation:
 *   the customer chose it in WhatsApp, which confirms it itself, and no conversation window is open
 *   for a free-form message. Pairs already withdrawn are not recorded again (a campaign failing with
 *   131050 for one contact would otherwise write one record per message).
 * Idempotent: ledger records are keyed on the inbound message id (or the signal), and the
 * confirmation's dedup key on the inbound message id, so a redelivered message changes nothing.
 */
export function createOptOutHandlers(send: SendConfirmation, linkFor: PreferenceLinkFor = () => undefined): OptOutHandlers {
  const inbound: DomainEventHandler<'message.inbound'> = async (ctx, event) => {
    // A message from a number linked to no contact has nobody whose consent could change.
    if (!event.contactId) return;
    const keyword = detectOptKeyword(event.text);
    if (!keyword && !event.buttonPayload) return;
    const settings = await cachedConsentSettings(ctx, event.workspaceId);
    const kind: OptKind | undefined = payloadMatches(event.buttonPayload, settings.optOutPayloads)
      ? 'opt_out'
      : payloadMatches(event.buttonPayload, settings.optInPayloads)
        ? 'opt_in'
        : keyword?.kind;
    if (!kind) return;
    const contact = await resolveContact(ctx.db, event.workspaceId, event.contactId);
    if (!contact || contact.erasedAt !== null) return;
    const byPayload = payloadMatches(event.buttonPayload, kind === 'opt_out' ? settings.optOutPayloads : settings.optInPayloads);
    const said = byPayload ? `Button with payload "${event.buttonPayload}"` : `Keyword "${keyword!.keyword.toUpperCase()}"`;
    const records: NewConsentRecord[] = [];
    for (const purpose of settings.optOutPurposes) {
      for (const channel of settings.optOutChannels) {
        records.push({
          contactId: contact.id,
          purpose,
          channel,
          status: kind === 'opt_out' ? 'withdrawn' : 'granted',
          source: 'whatsapp',
          effectiveAt: event.receivedAt,
          wording: `${said} sent by the customer on WhatsApp (${kind === 'opt_out' ? 'opt-out' : 'opt-in'}).`,
          proof: { messageId: event.messageId, keyword: byPayload ? event.buttonPayload : keyword!.keyword },
          actor: { type: 'customer', id: contact.id },
          dedupKey: `inbound:${event.messageId}:${purpose}:${channel}`,
        });
      }
    }
    await appendConsentRecords(ctx.db, ctx.keyring, event.workspaceId, records, ctx.clock.now());
    ctx.logger.info({ contactId: contact.id, messageId: event.messageId, kind, purposes: settings.optOutPurposes, channels: settings.optOutChannels }, 'consent changed by the customer');
    if (!settings.confirmations) return;
    const profile = await languageAndCountryOf(ctx.db, contact.id);
    const language = confirmationLanguage({ contactLanguage: profile?.language, keywordLanguages: byPayload ? [] : keyword?.languages, country: profile?.country });
    const link = linkFor(ctx, { workspaceId: event.workspaceId, contactId: contact.id });
    await send(ctx, {
      workspaceId: event.workspaceId,
      contactId: contact.id,
      senderId: event.senderId,
      text: confirmationText(kind, language, link),
      language,
      reason: kind,
      dedupKey: `consent-confirmation:${event.messageId}`,
    });
  };

  const marketingStopped: DomainEventHandler<'contact.marketing_stopped'> = async (ctx: ParleyContext, event) => {
    const contact = await resolveContact(ctx.db, event.workspaceId, event.contactId);
    if (!contact || contact.erasedAt !== null) return;
    const settings = await cachedConsentSettings(ctx, event.workspaceId);
    const current = deriveConsent(await listConsentRecords(ctx.db, event.workspaceId, contact.memberIds));
    const records: NewConsentRecord[] = settings.optOutChannels
      .filter((channel) => current.marketing[channel]?.status !== 'withdrawn')
      .map((channel) => ({
        contactId: contact.id,
        purpose: 'marketing',
        channel,
        status: 'withdrawn',
        source: 'whatsapp',
        effectiveAt: event.at,
        wording: `WhatsApp reported that the customer stopped marketing messages from this business (${event.source}).`,
        proof: { signal: event.source },
        actor: { type: 'customer', id: contact.id },
        dedupKey: `signal:${event.source}:${event.at}:${contact.id}:marketing:${channel}`,
      }));
    if (records.length === 0) return;
    await appendConsentRecords(ctx.db, ctx.keyring, event.workspaceId, records, ctx.clock.now());
    ctx.logger.info({ contactId: contact.id, signal: event.source, channels: records.map((r) => r.channel) }, 'marketing stopped by the customer in WhatsApp');
  };

  return { inbound, marketingStopped };
}

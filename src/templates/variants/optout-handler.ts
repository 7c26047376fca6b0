import type { DomainEventHandler } from '../../runtime/context.js';
import type { ParleyContext } from '../../runtime/context.js';
import { detectOptKeyword, payloadMatches } from '../../consent/opt-out-keywords.js';
import { cachedConsentSettings } from '../../consent/consent-settings.js';
import { DAY, MINUTE } from '../../shared/time.js';
import { isRecord } from '../../template-text/template-shape.js';
import { recentIntentMessages } from '../../messages/intent-message-queries.js';

/** An opt-out counts against the variant the contact last received within this long before it. */
export const OPT_OUT_ATTRIBUTION = 7 * DAY;
/**
 * Provider times are whole seconds from the provider's clock: a STOP typed right after a message arrived
 * can carry a time a little before Parley stored that message. Messages up to this long after the
 * opt-out's time still count as received before it.
 */
export const OPT_OUT_TIME_TOLERANCE = 1 * MINUTE;
/** How many of the contact's latest outbound intent messages are looked at to find the last variant. */
const LOOKBACK_MESSAGES = 20;

/**
 * Records an opt-out against the variant of the last intent message the contact received (within
 * OPT_OUT_ATTRIBUTION), so opt-out rates per variant feed the rollout guardrails. Idempotent: one row
 * per variant and contact.
 */
export async function recordVariantOptOut(ctx: ParleyContext, event: { workspaceId: string; contactId: string; at: number }): Promise<void> {
  const recent = await recentIntentMessages(ctx.db, {
    workspaceId: event.workspaceId,
    contactId: event.contactId,
    from: event.at - OPT_OUT_ATTRIBUTION,
    to: event.at + OPT_OUT_TIME_TOLERANCE,
    limit: LOOKBACK_MESSAGES,
  });
  for (const message of recent) {
    let metadata: unknown;
    try {
      metadata = JSON.parse(message.metadata);
    } catch {
      continue;
    }
    const variantId = isRecord(metadata) && typeof metadata.variant === 'string' ? metadata.variant : undefined;
    if (!variantId) continue;
    const variant = await ctx.db.selectFrom('intent_variants').select(['id', 'intent_id']).where('id', '=', variantId).where('workspace_id', '=', event.workspaceId).executeTakeFirst();
    if (!variant) continue;
    await ctx.db
      .insertInto('variant_optouts')
      .values({ variant_id: variant.id, contact_id: event.contactId, intent_id: variant.intent_id, workspace_id: event.workspaceId, message_id: message.id, at: event.at })
      .onConflict((oc) => oc.columns(['variant_id', 'contact_id']).doNothing())
      .execute();
    return;
  }
}

/** WhatsApp's own stop signals (error 131050, the `user_preferences` webhook). */
export const onMarketingStopped: DomainEventHandler<'contact.marketing_stopped'> = (ctx, event) => recordVariantOptOut(ctx, event);

/**
 * The customer's own opt-out: a keyword (STOP, SAIR, BAJA, ... as the consent module reads them) or a
 * button whose payload the workspace lists as an opt-out. The consent module records the consent
 * change; this records which variant it counts against.
 */
export const onInboundOptOut: DomainEventHandler<'message.inbound'> = async (ctx, event) => {
  // A message from a number linked to no contact has nobody to count an opt-out for.
  if (!event.contactId) return;
  let optOut = detectOptKeyword(event.text)?.kind === 'opt_out';
  if (!optOut && event.buttonPayload) optOut = payloadMatches(event.buttonPayload, (await cachedConsentSettings(ctx, event.workspaceId)).optOutPayloads);
  if (optOut) await recordVariantOptOut(ctx, { workspaceId: event.workspaceId, contactId: event.contactId, at: event.receivedAt });
};

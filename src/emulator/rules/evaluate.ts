import { MetaError } from '../cloud/errors.js';
import type { ValidSend } from '../cloud/validate/message.js';
import type { SeededRandom } from '../shared/random.js';
import type { EmulatorState } from '../state.js';
import type { Behaviour, CloudNumber, Template } from '../types.js';
import { marketingCapAllows } from './marketing-cap.js';
import { pruneTier, tierAllows } from './messaging-tier.js';
import { checkPairRate } from './pair-rate.js';
import { recipientFailure } from './recipient-state.js';
import { isWindowOpen } from './service-window.js';
import { checkTemplate } from './template-check.js';
import { takeThroughputToken } from './throughput.js';

/**
 * Which rule answers how, following Meta (protocol notes, sections 1.3 and 2):
 *
 * Synchronous: the request is refused with an HTTP error and no message id, in this order:
 *   100 / 131008 / 131009  malformed request (validation, before this function)
 *   130429  throughput of the number exceeded
 *   131056  pair rate to this customer exceeded
 *   132001 / 132000 / 132012 / 132015 / 132016  template unknown, unapproved, wrong language, wrong
 *           parameters, paused, disabled
 *   131047  free-form message outside the customer service window, only with `behaviour.windowErrors: "sync"`
 *
 * Asynchronous: the request is accepted (a wamid is returned) and a `failed` status webhook follows:
 *   131047  free-form message outside the customer service window (the default, `windowErrors: "webhook"`:
 *           Meta's webhook samples report it this way)
 *   131026  customer not on WhatsApp (or blocked the business)
 *   tier    the number's unique-recipient tier is exhausted (the number's `tierErrorCode`)
 *   131050  customer stopped marketing messages (marketing templates)
 *   131049  per-user marketing cap reached (marketing templates outside the window)
 *   131009  reaction to a message that does not exist in the chat
 *   failedCode  a random failure with probability `failedRate`
 */
export type SendDecision =
  | { kind: 'refuse'; error: MetaError }
  | {
      kind: 'accept';
      category: string;
      billable: boolean;
      template?: Template;
      /** Business-initiated: counts against the tier and the marketing cap when delivered. */
      businessInitiated: boolean;
      failCode?: number;
      failDetails?: string;
    };

export interface SendInput {
  number: CloudNumber;
  send: ValidSend;
  body: Record<string, any>;
  now: number;
}

export function evaluateSend(state: EmulatorState, behaviour: Behaviour, random: SeededRandom, input: SendInput): SendDecision {
  const { number, send, body, now } = input;
  const limits = number.limits;
  const pairKey = `${number.phoneNumberId}:${send.waId}`;

  const bucket = takeThroughputToken(state.throughput.get(number.phoneNumberId), limits.throughputMps, now);
  state.throughput.set(number.phoneNumberId, bucket.bucket);
  if (!bucket.allowed) return { kind: 'refuse', error: new MetaError(130429) };

  let template: Template | undefined;
  if (send.type === 'template') {
    const check = checkTemplate(state.templates, body.template);
    if (!check.ok) return { kind: 'refuse', error: new MetaError(check.code, check.details) };
    template = check.template;
  }
  const windowOpen = isWindowOpen(state.windows.get(pairKey), limits.serviceWindowMs, now);
  const windowClosed = !template && !windowOpen;
  if (windowClosed && behaviour.windowErrors === 'sync') return { kind: 'refuse', error: new MetaError(131047) };

  // The pair rate is checked last among synchronous rules so that a refused request does not use the pair's quota.
  const pair = checkPairRate(state.pairs.get(pairKey), limits, now);
  if (!pair.allowed) return { kind: 'refuse', error: new MetaError(131056) };
  if (pair.state) state.pairs.set(pairKey, pair.state);

  const isMarketing = template?.category === 'MARKETING';
  const category = template ? template.category.toLowerCase() : 'service';
  // Per-message pricing: service replies and utility templates inside an open window are free.
  const billable = !(category === 'service' || (category === 'utility' && windowOpen));
  const businessInitiated = !!template && !windowOpen;
  const accept = (failCode?: number, failDetails?: string): SendDecision => ({ kind: 'accept', category, billable, template, businessInitiated, failCode, failDetails });
  if (windowClosed) return accept(131047);

  const recipient = recipientFailure(state.customer(send.waId), send.waId, behaviour.undeliverablePrefixes, isMarketing);
  if (recipient === 131026) return accept(131026);
  if (businessInitiated) {
    const tier = state.tiers.get(number.phoneNumberId) ?? new Map<string, number>();
    state.tiers.set(number.phoneNumberId, tier);
    pruneTier(tier, now);
    if (!tierAllows(tier, send.waId, limits.dailyUniqueRecipients)) {
      return accept(limits.tierErrorCode, `The messaging limit of ${limits.dailyUniqueRecipients} unique customers in 24 hours is reached for this phone number.`);
    }
  }
  if (recipient === 131050) return accept(131050);
  if (isMarketing && !windowOpen && !marketingCapAllows(state.marketing.get(send.waId), limits.marketingCapPerUser, limits.marketingCapWindowMs, now)) return accept(131049);
  if (send.type === 'reaction') {
    const target = String(body.reaction.message_id);
    const outbound = state.messages.get(target);
    const inbound = state.inbound.get(target);
    const inChat = (outbound && outbound.to === send.waId && outbound.type !== 'reaction') || (inbound && inbound.from === send.waId);
    if (!inChat) return accept(131009, `Message ${target} does not exist in this chat, was deleted, or is a reaction.`);
  }
  if (random.chance(behaviour.failedRate)) return accept(behaviour.failedCode);
  return accept();
}

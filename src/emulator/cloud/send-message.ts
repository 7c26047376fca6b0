import type { EmulatorCore } from '../core.js';
import { countTier } from '../rules/messaging-tier.js';
import { evaluateSend } from '../rules/evaluate.js';
import { recordMarketing } from '../rules/marketing-cap.js';
import { newWamid } from '../shared/ids.js';
import type { OutboundMessage } from '../types.js';
import { scheduleLifecycle } from '../webhooks/status-lifecycle.js';
import { MetaError, unknownObject, webhookError, type GraphAnswer } from './errors.js';
import { markAsRead } from './mark-read.js';
import { isObject } from './validate/checks.js';
import { validateSend } from './validate/message.js';

/**
 * Meta also reports throughput overruns as system-level `value.errors[]` webhooks (its errors reference
 * uses 130429 as the example). Announced at most once per second per number, so an overloaded sender
 * does not multiply webhooks.
 */
const lastThroughputAnnounce = new WeakMap<EmulatorCore, Map<string, number>>();
function announceThroughputErrors(core: EmulatorCore, phoneNumberId: string, now: number): void {
  const byNumber = lastThroughputAnnounce.get(core) ?? new Map<string, number>();
  lastThroughputAnnounce.set(core, byNumber);
  if (now - (byNumber.get(phoneNumberId) ?? -Infinity) < 1000) return;
  byNumber.set(phoneNumberId, now);
  core.emitCloud({ kind: 'errors', phoneNumberId, errors: [webhookError(130429)] });
}


/**
 * `POST /{version}/{phone_number_id}/messages`: a send or a mark-as-read. Transport-free so that the route,
 * the fault layer and tests share it. Every request is logged for the control API.
 */
export function handleMessages(core: EmulatorCore, phoneNumberId: string, body: unknown): GraphAnswer {
  const now = core.clock.now();
  const log = { at: now, surface: 'cloud' as const, method: 'POST', path: `/${phoneNumberId}/messages`, target: phoneNumberId, body };
  try {
    const number = core.number(phoneNumberId);
    if (!number) throw unknownObject(phoneNumberId, 'POST');
    if (isObject(body) && body.status === 'read') {
      const answer = markAsRead(core, number.phoneNumberId, body);
      core.state.received.push({ ...log, status: 200 });
      return answer;
    }
    const send = validateSend(body, (id) => core.state.media.has(id));
    const request = body as Record<string, any>;
    const decision = evaluateSend(core.state, core.config.behaviour, core.random, { number, send, body: request, now });
    if (decision.kind === 'refuse') {
      if (decision.error.code === 130429) announceThroughputErrors(core, phoneNumberId, now);
      throw decision.error;
    }

    const id = newWamid(send.waId);
    const message: OutboundMessage = {
      id,
      phoneNumberId,
      to: send.waId,
      type: send.type,
      category: decision.category,
      billable: decision.billable,
      bizOpaque: send.bizOpaque,
      templateName: decision.template?.name,
      request,
      statuses: [],
      createdAt: now,
    };
    core.state.messages.set(id, message);
    core.state.stats.cloudSendsAccepted++;
    core.state.noteCorrelation('cloud', send.bizOpaque, id, now);
    if (decision.failCode === undefined && decision.businessInitiated) {
      const tier = core.state.tiers.get(phoneNumberId);
      if (tier) countTier(tier, send.waId, now);
      if (decision.category === 'marketing' && number.limits.marketingCapPerUser !== null) {
        core.state.marketing.set(send.waId, recordMarketing(core.state.marketing.get(send.waId), number.limits.marketingCapWindowMs, now));
      }
    }
    scheduleLifecycle(core, message, decision.failCode, decision.failDetails);
    const messages: Record<string, unknown> = { id };
    if (send.type === 'template') messages.message_status = 'accepted';
    core.state.received.push({ ...log, status: 200, messageId: id });
    return { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: send.to, wa_id: send.waId }], messages: [messages] } };
  } catch (error) {
    if (!(error instanceof MetaError)) throw error;
    core.state.stats.cloudSendsRefused++;
    core.state.countError(error.code);
    core.state.received.push({ ...log, status: error.status, errorCode: error.code });
    return { status: error.status, body: error.toBody() };
  }
}

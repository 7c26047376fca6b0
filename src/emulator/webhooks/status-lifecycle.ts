import { webhookError } from '../cloud/errors.js';
import type { EmulatorCore } from '../core.js';
import { personaReacts } from '../customers/personas.js';
import type { CloudStatus, OutboundMessage } from '../types.js';
import { pricing, statusObject } from './cloud-payloads.js';

/**
 * What happens to an accepted Cloud message, in real time: `sent` after the sent latency, then `delivered`
 * (with probability `deliveredRate`) and `read` (`readRate`), each after its latency. `pricing` rides on
 * sent and delivered. Reactions only get `sent`. A message failed by a rule gets one `failed` status with
 * `errors[]` instead. Delivery to a customer with a persona lets the persona react.
 */
export function scheduleLifecycle(core: EmulatorCore, message: OutboundMessage, failCode?: number, failDetails?: string): void {
  const b = core.config.behaviour;
  const r = core.random;
  const emit = (status: CloudStatus, extra: { pricing?: boolean; errors?: Array<Record<string, unknown>> } = {}) => emitStatus(core, message, status, { ...extra, errorCode: failCode });

  const sentAfter = r.between(b.statusLatencyMs.sent);
  if (failCode !== undefined) {
    core.timers.after(sentAfter, () => {
      core.state.stats.cloudFailedByWebhook++;
      core.state.countError(failCode);
      emit('failed', { errors: [webhookError(failCode, failDetails)] });
    });
    return;
  }
  const delivered = r.chance(b.deliveredRate);
  const read = delivered && r.chance(b.readRate);
  const deliveredAfter = sentAfter + r.between(b.statusLatencyMs.delivered);
  const readAfter = deliveredAfter + r.between(b.statusLatencyMs.read);
  core.timers.after(sentAfter, () => emit('sent', { pricing: true }));
  if (message.type === 'reaction' || !delivered) return;
  core.timers.after(deliveredAfter, () => {
    emit('delivered', { pricing: true });
    personaReacts(core, message);
  });
  // The customer may have read it already (on the emulator's phone, `customerReads`).
  if (read) core.timers.after(readAfter, () => message.statuses.some((s) => s.status === 'read') || emit('read'));
}

/** Records a status of an outbound message and sends its webhook. */
export function emitStatus(core: EmulatorCore, message: OutboundMessage, status: CloudStatus, extra: { pricing?: boolean; errors?: Array<Record<string, unknown>>; errorCode?: number } = {}): void {
  const at = core.clock.now();
  message.statuses.push({ status, at, errorCode: extra.errorCode });
  core.emitCloud({
    kind: 'status',
    phoneNumberId: message.phoneNumberId,
    status: statusObject({
      id: message.id,
      status,
      at,
      recipientId: message.to,
      bizOpaque: message.bizOpaque,
      pricing: extra.pricing ? pricing(message.category, message.billable) : undefined,
      errors: extra.errors,
    }),
  });
}

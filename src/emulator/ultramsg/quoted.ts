import type { EmulatorCore } from '../core.js';
import type { QuotedMsg } from './types.js';

/**
 * The message a send's `msgId` replies to, as `data.quotedMsg` shows it: a message the instance sent (by its
 * WhatsApp id or UltraMsg's numeric id) or one a customer sent to it (by WhatsApp id). A `msgId` the instance
 * does not know gives `{}`: WhatsApp Web sends the message without a quote, it does not refuse it.
 */
export function quotedMsgOf(core: EmulatorCore, instanceId: string, msgId: string): QuotedMsg | Record<string, never> {
  if (!msgId) return {};
  const received = core.state.ultramsgReceived.get(msgId);
  if (received && received.instanceId === instanceId) {
    return { id: received.waId, from: received.from, to: received.to, body: received.body, type: received.type, fromMe: false, time: Math.floor(received.at / 1000) };
  }
  for (const m of core.state.ultramsgMessages.values()) {
    if (m.instanceId !== instanceId || (m.waId !== msgId && String(m.id) !== msgId)) continue;
    return { id: m.waId, from: m.from, to: m.to, body: m.body, type: m.type, fromMe: true, time: Math.floor(m.createdAt / 1000) };
  }
  return {};
}

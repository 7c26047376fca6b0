import type { EmulatorCore } from '../core.js';
import { MetaError, type GraphAnswer } from './errors.js';
import { badParam, stringField, type Json } from './validate/checks.js';

/**
 * Mark-as-read (`{"messaging_product":"whatsapp","status":"read","message_id":...}`, optionally with
 * `typing_indicator: {type: "text"}`). The message must be an inbound message to this number (else 131009);
 * earlier messages of the same customer are marked read too, as on WhatsApp.
 */
export function markAsRead(core: EmulatorCore, phoneNumberId: string, body: Json): GraphAnswer {
  if (body.messaging_product !== 'whatsapp') throw new MetaError(100, 'The parameter messaging_product is required and must be "whatsapp".');
  const id = stringField(body, 'message_id', '', { required: true, max: 128 })!;
  if (body.typing_indicator !== undefined && body.typing_indicator?.type !== 'text') throw badParam("Param typing_indicator['type'] must be \"text\".");
  const target = core.state.inbound.get(id);
  if (!target || target.phoneNumberId !== phoneNumberId) throw new MetaError(131009, `Message ${id} is not a message received by this phone number (unknown or too old).`);
  for (const message of core.state.inbound.values()) {
    if (message.phoneNumberId === phoneNumberId && message.from === target.from && message.at <= target.at) message.read = true;
  }
  return { status: 200, body: { success: true } };
}

import { webhookError } from '../cloud/errors.js';
import type { EmulatorCore } from '../core.js';
import { newWamid } from '../shared/ids.js';
import { toWaId } from '../shared/phone.js';
import { unixSeconds } from '../webhooks/cloud-payloads.js';

/** Inbound message types a simulated customer can send (the shapes of Meta's webhook reference). */
export const INBOUND_TYPES = ['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'button', 'interactive', 'reaction', 'order', 'system', 'unsupported'] as const;
export type InboundType = (typeof INBOUND_TYPES)[number];

export interface CustomerMessageInput {
  /** The business number written to (default: the first number). */
  phoneNumberId?: string;
  from: string;
  /** Profile name (default: the customer's configured name). */
  name?: string;
  type: InboundType;
  /** The type's object, as in Meta's webhook (`text: { body }`, `location: { latitude, ... }`...). */
  payload?: Record<string, any>;
  /** The business message replied to (button taps, quoted replies). */
  contextId?: string;
  /** Media bytes (base64) for media types; a small placeholder file otherwise. */
  mediaBase64?: string;
  mimeType?: string;
}

export class InboundInputError extends Error {}

const MEDIA = new Set(['image', 'video', 'audio', 'document', 'sticker']);
const DEFAULT_MIME: Record<string, string> = { image: 'image/jpeg', video: 'video/mp4', audio: 'audio/ogg', document: 'application/pdf', sticker: 'image/webp' };

/**
 * A simulated customer writes to a business number: the message is remembered (mark-as-read works on it),
 * the service window opens (except for system messages), and a `messages` webhook goes out with
 * `contacts[]` (none for system messages, as Meta sends them).
 */
export function customerSends(core: EmulatorCore, input: CustomerMessageInput): { id: string; message: Record<string, unknown> } {
  const number = input.phoneNumberId ? core.number(input.phoneNumberId) : core.config.numbers[0];
  if (!number) throw new InboundInputError(`Unknown phoneNumberId ${input.phoneNumberId}; known: ${core.config.numbers.map((n) => n.phoneNumberId).join(', ')}.`);
  const from = toWaId(input.from);
  if (!from) throw new InboundInputError(`"${input.from}" is not a phone number (6 to 15 digits).`);
  if (!(INBOUND_TYPES as readonly string[]).includes(input.type)) throw new InboundInputError(`type must be one of ${INBOUND_TYPES.join(', ')}.`);
  const now = core.clock.now();
  const customer = core.state.customer(from);
  const name = input.name ?? customer?.name ?? 'WhatsApp User';
  const id = newWamid(from);
  const message: Record<string, unknown> = {};
  if (input.contextId) message.context = { from: number.displayPhoneNumber, id: input.contextId };
  Object.assign(message, { from, id, timestamp: unixSeconds(now) });
  const payload = { ...(input.payload ?? {}) };

  switch (input.type) {
    case 'text':
      if (typeof payload.body !== 'string' || !payload.body) throw new InboundInputError('text needs payload.body.');
      break;
    case 'location':
      if (typeof payload.latitude !== 'number' || typeof payload.longitude !== 'number') throw new InboundInputError('location needs numeric payload.latitude and payload.longitude.');
      break;
    case 'button':
      if (typeof payload.text !== 'string') throw new InboundInputError('button needs payload.text (and usually payload.payload and contextId).');
      payload.payload ??= payload.text;
      break;
    case 'interactive':
      if (payload.type !== 'button_reply' && payload.type !== 'list_reply') throw new InboundInputError('interactive needs payload.type button_reply or list_reply with payload.button_reply / payload.list_reply {id, title}.');
      if (!payload[payload.type]?.id) throw new InboundInputError(`interactive needs payload.${payload.type}.id and .title.`);
      break;
    case 'reaction':
      if (typeof payload.message_id !== 'string') throw new InboundInputError('reaction needs payload.message_id (omit payload.emoji to remove a reaction).');
      if (!payload.emoji) delete payload.emoji;
      break;
    case 'order':
      if (!payload.catalog_id || !Array.isArray(payload.product_items)) throw new InboundInputError('order needs payload.catalog_id and payload.product_items[].');
      break;
    case 'contacts':
      break;
    case 'system': {
      const newWaId = toWaId(String(payload.wa_id ?? ''));
      if (!newWaId) throw new InboundInputError('system needs payload.wa_id: the customer\'s new number.');
      payload.body = `User ${name} changed from ${from} to ${newWaId}`;
      payload.wa_id = newWaId;
      payload.type = 'user_changed_number';
      if (customer) core.state.customers.set(newWaId, { ...customer, phone: newWaId });
      break;
    }
    case 'unsupported':
      message.errors = [webhookError(131051)].map(({ href: _href, ...rest }) => rest);
      payload.type ??= 'poll_update';
      break;
    default:
      if (MEDIA.has(input.type)) Object.assign(payload, storeInboundMedia(core, number.phoneNumberId, input, payload));
  }
  message.type = input.type;
  message[input.type] = input.type === 'contacts' ? (input.payload as any)?.contacts ?? [] : payload;

  core.state.inbound.set(id, { id, phoneNumberId: number.phoneNumberId, from, type: input.type, at: now, read: false, message });
  if (input.type !== 'system') core.state.windows.set(`${number.phoneNumberId}:${from}`, now);
  core.state.stats.inboundMessages++;
  const contact = input.type === 'system' ? undefined : { profile: { name }, wa_id: from };
  core.emitCloud({ kind: 'message', phoneNumberId: number.phoneNumberId, message, contact });
  return { id, message };
}

function storeInboundMedia(core: EmulatorCore, phoneNumberId: string, input: CustomerMessageInput, payload: Record<string, any>) {
  const bytes = input.mediaBase64 ? Buffer.from(input.mediaBase64, 'base64') : Buffer.from(`emulated ${input.type} from ${input.from}`);
  const mimeType = input.mimeType ?? payload.mime_type ?? DEFAULT_MIME[input.type];
  const stored = core.state.media.put({ bytes, mimeType, phoneNumberId, filename: payload.filename, at: core.clock.now() });
  const out: Record<string, unknown> = {};
  if (payload.caption !== undefined) out.caption = payload.caption;
  if (input.type === 'document' && payload.filename) out.filename = payload.filename;
  Object.assign(out, { mime_type: mimeType, sha256: stored.sha256, id: stored.id });
  for (const key of Object.keys(payload)) delete payload[key];
  return out;
}

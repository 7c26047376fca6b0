import { MetaError } from '../errors.js';
import { toWaId } from '../../shared/phone.js';
import { badParam, isObject, missing, oneOf, stringField, type Json } from './checks.js';
import { validateContacts } from './contacts.js';
import { validateInteractive } from './interactive.js';
import { validateLocation } from './location.js';
import { MEDIA_TYPES, validateMedia } from './media.js';
import { validateReaction } from './reaction.js';
import { validateTemplateShape } from './template.js';
import { validateText } from './text.js';

export const MESSAGE_TYPES = ['text', 'image', 'audio', 'video', 'document', 'sticker', 'location', 'contacts', 'interactive', 'template', 'reaction'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export interface ValidSend {
  type: MessageType;
  waId: string;
  to: string;
  bizOpaque?: string;
}

/** Validates a `POST /{phone_number_id}/messages` body (not mark-as-read) and returns what the rules need. */
export function validateSend(body: unknown, mediaExists: (id: string) => boolean): ValidSend {
  if (!isObject(body)) throw badParam('The request body must be a JSON object.');
  if (body.messaging_product === undefined) throw new MetaError(100, 'The parameter messaging_product is required.');
  if (body.messaging_product !== 'whatsapp') throw badParam('Param messaging_product must be "whatsapp".');
  if (body.recipient_type !== undefined) oneOf(body.recipient_type, ['individual'], 'recipient_type');
  const to = stringField(body, 'to', '', { required: true })!;
  const waId = toWaId(to);
  if (!waId) throw new MetaError(100, `Param to "${to}" is not a valid phone number.`);
  const type = (body.type ?? 'text') as string;
  oneOf(type, MESSAGE_TYPES, 'type');
  if (body[type] === undefined) throw missing(type);
  const bizOpaque = stringField(body, 'biz_opaque_callback_data', '', { max: 512 });
  if (body.context !== undefined) {
    if (!isObject(body.context)) throw badParam('Param context must be a JSON object.');
    stringField(body.context as Json, 'message_id', 'context', { required: true, max: 128 });
  }
  switch (type) {
    case 'text':
      validateText(body);
      break;
    case 'location':
      validateLocation(body);
      break;
    case 'contacts':
      validateContacts(body);
      break;
    case 'interactive':
      validateInteractive(body);
      break;
    case 'template':
      validateTemplateShape(body);
      break;
    case 'reaction':
      validateReaction(body);
      break;
    default:
      if ((MEDIA_TYPES as readonly string[]).includes(type)) validateMedia(body, type, mediaExists);
  }
  return { type: type as MessageType, waId, to, bizOpaque };
}

import type { UltraMsgInstance } from '../types.js';
import type { QuotedMsg, UltraMsgMessage } from './types.js';

/** `instance1150` → `"1150"`: the webhook's `instanceId` is the number alone (UltraMsg's own example). */
export const webhookInstanceId = (instanceId: string) => instanceId.replace(/^instance/, '');

const base = { author: '', isForwarded: false, isMentioned: false, quotedMsg: {}, mentionedIds: [] };

/**
 * `message_create` / `message_ack` for a message the instance sent (fromMe). Shape of the recorded payloads.
 * `ids`: `filled` puts the numeric send id and the send's `referenceId` in the envelope; `empty` leaves
 * both empty, as UltraMsg's official webhook example does, so only `data.id` names the message.
 */
export function outgoingEvent(eventType: 'message_create' | 'message_ack', instance: UltraMsgInstance, message: UltraMsgMessage, ack: string, at: number, ids: 'filled' | 'empty' = 'filled') {
  return {
    event_type: eventType,
    instanceId: webhookInstanceId(instance.instanceId),
    id: ids === 'filled' ? String(message.id) : '',
    // A send made without a referenceId shows "" like both recorded payloads (no UltraMsg source shows null
    // here); Parley's normalizer takes null, "" and a missing field alike as "no referenceId".
    referenceId: ids === 'filled' ? message.referenceId : '',
    data: {
      id: message.waId,
      from: `${instance.phone}@c.us`,
      to: message.to,
      author: base.author,
      pushname: '',
      ack,
      type: message.type,
      body: message.body,
      media: message.metadata.media ?? '',
      fromMe: true,
      isForwarded: base.isForwarded,
      isMentioned: base.isMentioned,
      quotedMsg: message.quotedMsg ?? {},
      mentionedIds: message.mentionedIds ?? [],
      time: Math.floor(at / 1000),
    },
  };
}

/** `message_received` for a message a customer sent to the instance. */
export function receivedEvent(instance: UltraMsgInstance, input: { waId: string; from: string; pushname: string; type: string; body: string; media: string; quotedMsg?: QuotedMsg | Record<string, never>; mentionedIds?: string[]; at: number }) {
  return {
    event_type: 'message_received',
    instanceId: webhookInstanceId(instance.instanceId),
    id: '',
    referenceId: '',
    data: {
      id: input.waId,
      from: `${input.from}@c.us`,
      to: `${instance.phone}@c.us`,
      author: '',
      pushname: input.pushname,
      ack: '',
      type: input.type,
      body: input.body,
      media: input.media,
      fromMe: false,
      isForwarded: false,
      // `isMentioned`: the instance's own number is among the mentions.
      isMentioned: (input.mentionedIds ?? []).includes(`${instance.phone}@c.us`),
      quotedMsg: input.quotedMsg ?? {},
      mentionedIds: input.mentionedIds ?? [],
      time: Math.floor(input.at / 1000),
    },
  };
}

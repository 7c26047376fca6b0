import type { InboundItem, InboundMedia, WebhookItem } from '../../webhook-items.js';
import { bool, compact, num, obj, secondsToMs, str, type JsonObject } from '../../read-json.js';
import { ULTRAMSG_ACK_STATUS } from './ack-map.js';

const MEDIA_TYPES: Record<string, string> = { image: 'image', video: 'video', audio: 'audio', ptt: 'audio', document: 'document', sticker: 'sticker' };

/** `10172127174@c.us` → `10172127174`; group and `@lid` ids have no phone number and give undefined. */
export function waIdOfChatId(chatId: string | undefined): string | undefined {
  const match = /^(\d{5,20})@c\.us$/.exec(chatId ?? '');
  return match ? match[1] : undefined;
}

function inbound(data: JsonObject, senderId: string, id: string, receivedAt: number): InboundItem {
  const rawType = str(data.type) ?? 'unknown';
  const from = str(data.from);
  // In a group the author is the participant who wrote.
  const customer = from?.endsWith('@g.us') ? str(data.author) : from;
  const body = str(data.body);
  const base = {
    kind: 'inbound' as const,
    provider: 'ultramsg' as const,
    route: { senderId },
    providerMessageId: id,
    fromWaId: waIdOfChatId(customer),
    profileName: str(data.pushname),
    at: secondsToMs(data.time) ?? receivedAt,
    opensWindow: true,
  };
  const quoted = obj(data.quotedMsg);
  const context = compact({ replyTo: str(quoted?.id), forwarded: bool(data.isForwarded) || undefined });
  const withContext = (content: JsonObject): JsonObject => (Object.keys(context).length ? { ...content, context } : content);
  if (rawType === 'chat') return compact({ ...base, type: 'text', content: withContext({ text: body ?? '' }), text: body, contextProviderMessageId: str(quoted?.id) });
  const mediaType = MEDIA_TYPES[rawType];
  if (mediaType) {
    const url = str(data.media);
    // For media UltraMsg carries the caption in `caption` or in `body`, depending on the type.
    const caption = str(data.caption) ?? (body && body !== url ? body : undefined);
    const media: InboundMedia = compact({ url, mimeType: str(data.mimetype), filename: str(data.filename) });
    return compact({ ...base, type: mediaType, content: withContext(compact({ media: compact({ ...media, voice: rawType === 'ptt' || undefined }), caption })), text: caption, media: url ? media : undefined });
  }
  if (rawType === 'location') {
    const location = compact({ latitude: num(data.lat ?? obj(data.location)?.latitude), longitude: num(data.lng ?? obj(data.location)?.longitude), address: body });
    return compact({ ...base, type: 'location', content: withContext({ location }) });
  }
  if (rawType === 'vcard') return compact({ ...base, type: 'contacts', content: withContext({ vcard: body }) });
  return compact({ ...base, type: rawType, content: withContext({ raw: compact({ body, media: str(data.media) }) }), text: body });
}

/**
 * The three keys an outgoing message's webhook may name it by (decision 0007): the envelope's `id`
 * (UltraMsg's numeric send id, what its send API returned), `referenceId` (Parley's message id) and
 * `data.id` (the WhatsApp id). No UltraMsg source shows the first two filled in a real `message_ack`
 * (its official webhook example has both empty), so `data.id` alone must be enough to match.
 */
export function ackKeys(payload: JsonObject, waId: string): { providerMessageId: string; altProviderMessageIds?: string[]; parleyMessageId?: string; providerAltId: string } {
  const rootId = str(payload.id);
  return compact({
    // The numeric id, when present, stays the item's own id: it is what the send answer stored.
    providerMessageId: rootId ?? waId,
    altProviderMessageIds: rootId && rootId !== waId ? [waId] : undefined,
    parleyMessageId: str(payload.referenceId),
    providerAltId: waId,
  });
}

/**
 * One UltraMsg delivery (`{ event_type, instanceId, id, referenceId, data }`) as items. The instance
 * was authenticated at receipt, so items carry the sender id directly.
 */
export function normalizeUltraMsgDelivery(payload: JsonObject, senderId: string, receivedAt: number): WebhookItem[] {
  const eventType = (str(payload.event_type) ?? 'unknown').replace(/^webhook_/, '');
  const data = obj(payload.data);
  const id = str(data?.id);
  if (!data || !id) return [{ kind: 'invalid', key: `${eventType}#0`, reason: 'a delivery without data.id' }];
  switch (eventType) {
    case 'message_received':
      // Your own messages come back too; a bot must never answer them.
      if (data.fromMe === true) return [{ kind: 'ignored', key: 'message', providerMessageId: id, reason: 'an echo of a message sent from this account' }];
      return [inbound(data, senderId, id, receivedAt)];
    case 'message_create': {
      // The business's own account created a message (an API send, or one typed on the phone): its
      // WhatsApp id is learnt for the send it matches (decision 0007). Nothing else to apply.
      if (data.fromMe === false) return [{ kind: 'ignored', key: 'message', providerMessageId: id, reason: 'message_create of a message not from this account' }];
      return [compact({ kind: 'provider_id' as const, provider: 'ultramsg' as const, route: { senderId }, ...ackKeys(payload, id) })];
    }
    case 'message_ack': {
      const ack = str(data.ack);
      const status = ack ? ULTRAMSG_ACK_STATUS[ack] : undefined;
      if (!ack || !status) return [{ kind: 'invalid', key: 'status', providerMessageId: id, reason: `unknown ack ${JSON.stringify(data.ack ?? null)}` }];
      return [
        compact({
          kind: 'status' as const,
          provider: 'ultramsg' as const,
          route: { senderId },
          ...ackKeys(payload, id),
          providerStatus: ack,
          status,
          // `data.time` is when the message was written, not when it was acknowledged.
          at: receivedAt,
          errors: [],
        }),
      ];
    }
    default:
      return [{ kind: 'ignored', key: eventType, providerMessageId: id, reason: `event_type "${eventType}" is not handled` }];
  }
}

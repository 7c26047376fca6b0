import type { EmulatorCore } from '../core.js';
import { newWebKey } from '../shared/ids.js';
import { toWaId } from '../shared/phone.js';
import { isUltraMsgMediaType, storeUltraMsgFile } from '../ultramsg/media-files.js';
import { receivedEvent } from '../ultramsg/payloads.js';
import { quotedMsgOf } from '../ultramsg/quoted.js';
import { InboundInputError } from './inbound-cloud.js';

export interface UltraMsgInboundInput {
  instanceId?: string;
  from: string;
  name?: string;
  /** UltraMsg message type: chat (default), image, video, audio, ptt, document, sticker, location, vcard. */
  type?: string;
  body?: string;
  /** A URL of your own for the file; without one the emulator keeps a file (`mediaBase64` or a placeholder) and serves it. */
  media?: string;
  mediaBase64?: string;
  mimeType?: string;
  /** The WhatsApp id (or UltraMsg id) of the message the customer replies to: `data.quotedMsg`. */
  quotedMsgId?: string;
  /** Phone numbers the customer mentions: `data.mentionedIds` (and `isMentioned` when the instance's is one). */
  mentions?: string[];
}

/** `["14155550302", "+1 415 555 0303"]` → chat ids; anything but a list of phone numbers is refused. */
function mentionedIdsOf(mentions: unknown): string[] {
  if (mentions === undefined) return [];
  const ids = Array.isArray(mentions) ? mentions.map((m) => toWaId(String(m))) : [undefined];
  if (ids.some((id) => !id)) throw new InboundInputError('mentions must be a list of phone numbers.');
  return ids.map((id) => `${id}@c.us`);
}

const TYPES = ['chat', 'image', 'video', 'audio', 'ptt', 'document', 'sticker', 'location', 'vcard'];

/** A simulated customer writes to an UltraMsg instance: a `message_received` webhook (if enabled on the instance). */
export function customerSendsUltraMsg(core: EmulatorCore, input: UltraMsgInboundInput): { id: string; event: Record<string, unknown> } {
  const instance = input.instanceId ? core.instance(input.instanceId) : core.config.ultramsgInstances[0];
  if (!instance) throw new InboundInputError(`Unknown UltraMsg instance ${input.instanceId}.`);
  const from = toWaId(input.from);
  if (!from) throw new InboundInputError(`"${input.from}" is not a phone number (6 to 15 digits).`);
  const type = input.type ?? 'chat';
  if (!TYPES.includes(type)) throw new InboundInputError(`type must be one of ${TYPES.join(', ')}.`);
  if (type === 'chat' && !input.body) throw new InboundInputError('a chat message needs a body.');
  const mentionedIds = mentionedIdsOf(input.mentions);
  const waId = `false_${from}@c.us_${newWebKey()}`;
  const at = core.clock.now();
  // UltraMsg puts a file's URL in `media` only when the instance's webhook_message_download_media is on.
  const media = isUltraMsgMediaType(type) && instance.webhookMessageDownloadMedia ? input.media || storeUltraMsgFile(core, instance, { ...input, type, from }) : '';
  const event = receivedEvent(instance, {
    waId,
    from,
    pushname: input.name ?? core.state.customer(from)?.name ?? 'WhatsApp User',
    type,
    body: input.body ?? '',
    media,
    quotedMsg: quotedMsgOf(core, instance.instanceId, input.quotedMsgId ?? ''),
    mentionedIds,
    at,
  });
  core.state.ultramsgReceived.set(waId, { waId, instanceId: instance.instanceId, from: `${from}@c.us`, to: `${instance.phone}@c.us`, body: input.body ?? '', type, at });
  core.state.stats.inboundMessages++;
  if (instance.webhookMessageReceived) core.emitUltraMsg(event);
  return { id: waId, event };
}

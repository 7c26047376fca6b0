import type { OutboundRequest } from '../../port.js';

/**
 * Maps an outbound message to UltraMsg's endpoint and form fields. UltraMsg drives a linked WhatsApp
 * account: no templates (Parley sends their rendered text), no interactive messages, no Cloud API media ids
 * (a Parley upload is sent as base64).
 * `priority`: lower goes first in the instance queue (OTP 0; UltraMsg's default is 10).
 */
export const ULTRAMSG_PRIORITY: Record<OutboundRequest['lane'], number> = { otp: 0, transactional: 1, conversation: 5, marketing: 10 };

export class UnsupportedByUltraMsg extends Error {}

/**
 * The longest media parameter UltraMsg takes: its API reference gives "Max Base64 length :
 * 10,000,000" (protocol notes, 6.2; older SDK READMEs said 2,000,000), so files up to 7,500,000 bytes.
 */
export const ULTRAMSG_MEDIA_MAX_CHARS = 10_000_000;

/**
 * A media message's file as UltraMsg takes it: the `link` (an HTTP URL), or a Parley upload's bytes
 * as base64 (UltraMsg has no media ids of its own).
 */
function mediaParameter(request: OutboundRequest): string {
  const p = request.payload as Record<string, unknown>;
  if (typeof p.link === 'string') return p.link;
  if (request.media) {
    const base64 = request.media.bytes.toString('base64');
    if (base64.length > ULTRAMSG_MEDIA_MAX_CHARS) throw new UnsupportedByUltraMsg(`UltraMsg takes files of at most ${(ULTRAMSG_MEDIA_MAX_CHARS / 4) * 3} bytes as base64; this one has ${request.media.bytes.length}: send it by \`link\`.`);
    return base64;
  }
  throw new UnsupportedByUltraMsg(`UltraMsg sends ${request.type} by URL or as a Parley upload: give \`${request.type}.link\` or \`${request.type}.mediaId\`, not a Cloud API media id.`);
}

export function ultramsgRequest(request: OutboundRequest): { endpoint: string; fields: Record<string, string> } {
  const p = request.payload as Record<string, any>;
  const base: Record<string, string> = { to: request.to, priority: String(ULTRAMSG_PRIORITY[request.lane]), referenceId: request.messageId };
  if (request.replyToProviderId) base.msgId = request.replyToProviderId;
  const media = (field: string) => ({ [field]: mediaParameter(request), ...(p.caption ? { caption: String(p.caption) } : {}) });
  switch (request.type) {
    case 'text':
      return { endpoint: 'messages/chat', fields: { ...base, body: String(p.body) } };
    case 'template':
      if (!request.renderedText) throw new UnsupportedByUltraMsg('UltraMsg has no templates: Parley sends the rendered template text, and none was available for this template.');
      return { endpoint: 'messages/chat', fields: { ...base, body: request.renderedText } };
    case 'image':
      return { endpoint: 'messages/image', fields: { ...base, ...media('image') } };
    case 'video':
      return { endpoint: 'messages/video', fields: { ...base, ...media('video') } };
    case 'audio':
      return { endpoint: 'messages/audio', fields: { ...base, ...media('audio') } };
    case 'sticker':
      return { endpoint: 'messages/sticker', fields: { ...base, ...media('sticker') } };
    case 'document':
      return { endpoint: 'messages/document', fields: { ...base, ...media('document'), filename: String(p.filename ?? request.media?.filename ?? 'document') } };
    case 'location':
      return { endpoint: 'messages/location', fields: { ...base, lat: String(p.latitude), lng: String(p.longitude), address: [p.name, p.address].filter(Boolean).join('\n') || `${p.latitude},${p.longitude}` } };
    case 'reaction':
      return { endpoint: 'messages/reaction', fields: { ...base, msgId: String(request.replyToProviderId ?? p.message_id), emoji: String(p.emoji) } };
    default:
      throw new UnsupportedByUltraMsg(`UltraMsg cannot send ${request.type} messages (no interactive buttons or lists on a linked account).`);
  }
}

/**
 * The longest media parameter (an HTTP link or base64-encoded file) UltraMsg takes: its API reference gives
 * "Max Base64 length : 10,000,000" (the older SDK READMEs said 2,000,000). Longer is refused like every other
 * parameter problem: `{"error":[{"image":"Max Base64 length is 10,000,000 characters"}]}`.
 */
export const ULTRAMSG_MEDIA_MAX = 10_000_000;

/**
 * Request body cap for the send routes: 10,000,000 base64 characters form-encoded take at most three bytes each
 * (`+`, `/` and `=` become `%2B`, `%2F`, `%3D`), plus the other parameters. JSON bodies need far less.
 */
export const ULTRAMSG_SEND_BODY_LIMIT = 3 * ULTRAMSG_MEDIA_MAX + 1024 * 1024;

const MEDIA_FIELDS = new Set(['image', 'document', 'audio', 'video', 'sticker']);

/**
 * UltraMsg send endpoints and their parameters (protocol notes, section 6.2). Problems are reported the way
 * UltraMsg reports them: `{"error":[{"to":"is required"},{"body":"is required"}]}`.
 */
export const ULTRAMSG_ENDPOINTS: Record<string, { required: string[]; max?: Record<string, number>; type: string; text?: string }> = {
  chat: { required: ['to', 'body'], max: { body: 4096 }, type: 'chat', text: 'body' },
  image: { required: ['to', 'image'], max: { caption: 1024, image: ULTRAMSG_MEDIA_MAX }, type: 'image', text: 'caption' },
  document: { required: ['to', 'filename', 'document'], max: { caption: 1024, document: ULTRAMSG_MEDIA_MAX }, type: 'document', text: 'caption' },
  audio: { required: ['to', 'audio'], max: { audio: ULTRAMSG_MEDIA_MAX }, type: 'audio' },
  voice: { required: ['to', 'audio'], max: { audio: ULTRAMSG_MEDIA_MAX }, type: 'ptt' },
  video: { required: ['to', 'video'], max: { caption: 1024, video: ULTRAMSG_MEDIA_MAX }, type: 'video', text: 'caption' },
  link: { required: ['to', 'link'], type: 'chat', text: 'link' },
  contact: { required: ['to', 'contact'], max: { contact: 300 }, type: 'vcard' },
  location: { required: ['to', 'address', 'lat', 'lng'], max: { address: 300 }, type: 'location', text: 'address' },
  vcard: { required: ['to', 'vcard'], max: { vcard: 4096 }, type: 'vcard' },
  sticker: { required: ['to', 'sticker'], max: { sticker: ULTRAMSG_MEDIA_MAX }, type: 'sticker' },
  reaction: { required: ['msgId', 'emoji'], type: 'reaction', text: 'emoji' },
};

export interface UltraMsgSend {
  kind: string;
  type: string;
  /** Chat id: `<digits>@c.us` or a group `...@g.us`. */
  chatId: string;
  digits: string;
  body: string;
  media: string;
  priority: number;
  referenceId: string;
  /** `msgId` on a send other than a reaction: the message it replies to (quotes). Empty when none. */
  replyTo: string;
  /** `mentions`: comma-separated phone numbers, as chat ids (`<digits>@c.us`). */
  mentions: string[];
}

export type UltraMsgValidation = { ok: true; send: UltraMsgSend } | { ok: false; errors: Array<Record<string, string>> };

/** `+14155552671`, `14155552671` or `14155552671@c.us` → chat id; groups pass through. */
export function chatIdOf(to: string): { chatId: string; digits: string } | null {
  const trimmed = to.trim();
  if (/^[0-9-]+@g\.us$/.test(trimmed)) return { chatId: trimmed, digits: trimmed.split('@')[0] };
  const digits = trimmed.replace(/@c\.us$/, '').replace(/[\s()+.-]/g, '');
  return /^[0-9]{6,15}$/.test(digits) ? { chatId: `${digits}@c.us`, digits } : null;
}

export function validateUltraMsgSend(kind: string, params: Record<string, unknown>, resolveReaction: (msgId: string) => string | undefined): UltraMsgValidation {
  const spec = ULTRAMSG_ENDPOINTS[kind];
  const errors: Array<Record<string, string>> = [];
  const str = (key: string) => (params[key] === undefined || params[key] === null ? '' : String(params[key]));
  for (const key of spec.required) if (str(key).trim() === '') errors.push({ [key]: 'is required' });
  for (const [key, max] of Object.entries(spec.max ?? {})) {
    if (MEDIA_FIELDS.has(key)) {
      // Media is ASCII (a URL or base64): its length is its character count, no need to split 10M characters.
      if (str(key).length > max) errors.push({ [key]: `Max Base64 length is ${max.toLocaleString('en-US')} characters` });
    } else if ([...str(key)].length > max) errors.push({ [key]: `must be at most ${max} characters` });
  }
  let target: { chatId: string; digits: string } | null = null;
  if (kind === 'reaction') {
    const chat = str('msgId') ? resolveReaction(str('msgId')) : undefined;
    if (str('msgId') && !chat) errors.push({ msgId: 'message not found' });
    if (chat) target = chatIdOf(chat);
  } else if (str('to')) {
    target = chatIdOf(str('to'));
    if (!target) errors.push({ to: 'invalid phone number or chat id' });
  }
  if (kind === 'location' && (!Number.isFinite(Number(str('lat'))) || !Number.isFinite(Number(str('lng'))))) errors.push({ lat: 'must be a number' });
  const priority = params.priority === undefined || params.priority === '' ? 10 : Number(params.priority);
  if (!Number.isInteger(priority) || priority < 0 || priority > 100) errors.push({ priority: 'must be an integer from 0 to 100' });
  if (str('referenceId').length > 256) errors.push({ referenceId: 'must be at most 256 characters' });
  const mentions = str('mentions').split(',').map((m) => m.trim()).filter(Boolean).map((m) => chatIdOf(m.replace(/^@/, '')));
  if (mentions.some((m) => !m || m.chatId.endsWith('@g.us'))) errors.push({ mentions: 'must be phone numbers separated by commas' });
  if (errors.length || !target) return { ok: false, errors: errors.length ? errors : [{ to: 'is required' }] };
  const mediaKey = ({ image: 'image', document: 'document', audio: 'audio', voice: 'audio', video: 'video', sticker: 'sticker' } as Record<string, string>)[kind];
  return {
    ok: true,
    send: {
      kind,
      type: spec.type,
      chatId: target.chatId,
      digits: target.digits,
      body: spec.text ? str(spec.text) : kind === 'vcard' ? str('vcard') : kind === 'contact' ? str('contact') : '',
      media: mediaKey ? str(mediaKey) : '',
      priority,
      referenceId: str('referenceId'),
      replyTo: kind === 'reaction' ? '' : str('msgId').trim(),
      mentions: mentions.map((m) => m!.chatId),
    },
  };
}

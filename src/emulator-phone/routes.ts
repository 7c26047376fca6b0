import { Type, type Static } from '@sinclair/typebox';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { MultilineText, Nullable, StringEnum, iso } from '../http/schemas.js';
import { senderNumberId } from '../channels/sender-identity.js';
import { getSender, listSenders, type Sender } from '../senders/sender-queries.js';
import { embeddedEmulatorOf, type EmulatorLink } from './link.js';

/**
 * The emulator phone (docs/decisions/0026-console-emulator-phone.md): a person acts as a customer of the
 * built-in emulator, writing to and reading from the Cloud API and UltraMsg senders of their workspace
 * that send through it (UltraMsg carries text and photos from a customer, nothing else). Each route forwards to one route of the emulator's control API and nothing else reaches
 * it: customers' chats, their messages, their reading, blocking. Without the built-in emulator every
 * route answers 404 EMULATOR_NOT_RUNNING.
 */
const PERMISSION = 'senders.manage' as const;
const FORWARD_TIMEOUT_MS = 5_000;
const security = [{ apiKey: [] }];
const tags = ['emulator phone'];

const Phone = Type.String({ pattern: '^\\+?[0-9]{6,15}$', description: 'The customer\'s phone number (digits, optional +).' });
const ChatParams = Type.Object({ senderId: Type.String({ maxLength: 64 }), phone: Phone });

const NumberView = Type.Object({
  senderId: Type.String(),
  name: Type.String(),
  provider: StringEnum(['cloud', 'ultramsg'] as const),
  phoneNumberId: Type.String({ description: 'The number at the provider: the Cloud API phone number id, or the UltraMsg instance id.' }),
  displayPhone: Nullable(Type.String()),
});
const CustomerView = Type.Object({ phone: Type.String(), name: Type.String(), persona: Nullable(Type.String()), blocked: Type.Boolean(), optedOutOfMarketing: Type.Boolean() });
const PhoneView = Type.Object({
  numbers: Type.Array(NumberView, { description: 'The Cloud API and UltraMsg senders of this workspace that send through the built-in emulator.' }),
  customers: Type.Array(CustomerView, { description: 'The emulator\'s customers (its configuration, and numbers the phone wrote from).' }),
});
const Entry = Type.Object({
  id: Type.String({ description: 'The WhatsApp message id (wamid).' }),
  from: StringEnum(['business', 'customer'] as const),
  at: Type.String({ format: 'date-time' }),
  type: Type.String(),
  content: Type.Unknown({ description: 'The type\'s object as WhatsApp carries it (`text: {body}`, `interactive: {...}`, a template\'s name and parameters...).' }),
  contextId: Nullable(Type.String()),
  status: Nullable(StringEnum(['sent', 'delivered', 'read', 'failed'] as const)),
  errorCode: Nullable(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
  template: Nullable(Type.Object({ components: Type.Array(Type.Unknown()), parameterFormat: Type.String() }, { description: 'The approved template\'s components (header, body, footer, buttons).' })),
});
const ChatView = Type.Object({ customer: CustomerView, entries: Type.Array(Entry) });

const Reply = Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }), title: Type.String({ minLength: 1, maxLength: 72 }), description: Type.Optional(Type.String({ maxLength: 72 })) });
const CustomerMessage = Type.Object(
  {
    type: StringEnum(['text', 'image', 'location', 'button', 'interactive', 'reaction'] as const),
    text: Type.Optional(Type.Object({ body: MultilineText({ minLength: 1, maxLength: 4096 }) })),
    image: Type.Optional(Type.Object({
      dataBase64: Type.String({ minLength: 1, maxLength: 700_000, pattern: '^[A-Za-z0-9+/=]+$', description: 'The photo\'s bytes in base64.' }),
      mimeType: StringEnum(['image/png', 'image/jpeg'] as const),
      caption: Type.Optional(MultilineText({ maxLength: 1024 })),
    })),
    location: Type.Optional(Type.Object({ latitude: Type.Number({ minimum: -90, maximum: 90 }), longitude: Type.Number({ minimum: -180, maximum: 180 }), name: Type.Optional(Type.String({ maxLength: 200 })), address: Type.Optional(Type.String({ maxLength: 300 })) })),
    button: Type.Optional(Type.Object({ text: Type.String({ minLength: 1, maxLength: 200 }), payload: Type.String({ maxLength: 1000 }) }, { description: 'A template\'s quick-reply button tapped.' })),
    interactive: Type.Optional(Type.Object({ type: StringEnum(['button_reply', 'list_reply'] as const), reply: Reply }, { description: 'A reply button tapped or a list row picked.' })),
    reaction: Type.Optional(Type.Object({ messageId: Type.String({ minLength: 1, maxLength: 256 }), emoji: Type.String({ maxLength: 16, description: 'Empty to take the reaction back.' }) })),
    contextId: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'The business message answered (button taps carry it).' })),
  },
  { additionalProperties: false },
);
type CustomerMessage = Static<typeof CustomerMessage>;

function linkOf(ctx: ParleyContext): EmulatorLink {
  const link = embeddedEmulatorOf(ctx);
  if (!link) throw new ParleyError('EMULATOR_NOT_RUNNING');
  return link;
}

const onEmulator = (link: EmulatorLink, sender: Sender): boolean => sender.baseUrl.replace(/\/+$/, '') === link.url && sender.status === 'active' && !!senderNumberId(sender);

/** A number of the emulator: a Cloud API phone number id or an UltraMsg instance id. */
interface EmulatorNumber {
  provider: Sender['provider'];
  id: string;
}

async function emulatorSender(ctx: ParleyContext, link: EmulatorLink, workspaceId: string, senderId: string): Promise<EmulatorNumber> {
  const sender = await getSender(ctx.db, senderId, workspaceId);
  const id = sender && onEmulator(link, sender) ? senderNumberId(sender) : undefined;
  if (!sender || !id) throw new ParleyError('EMULATOR_SENDER_NOT_FOUND');
  return { provider: sender.provider, id };
}

/** One call to the emulator's control API; its refusals (`{error}`) become EMULATOR_REFUSED with its words. */
async function forward<T>(link: EmulatorLink, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${link.url}/_emulator/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    });
  } catch (cause) {
    throw new ParleyError('EMULATOR_UNAVAILABLE', { cause });
  }
  const answer = (await res.json().catch(() => ({}))) as T & { error?: unknown };
  if (res.status >= 500) throw new ParleyError('EMULATOR_UNAVAILABLE');
  if (res.status >= 400) throw new ParleyError('EMULATOR_REFUSED', { message: typeof answer.error === 'string' ? answer.error : `The emulator answered ${res.status}.` });
  return answer;
}

const presentCustomer = (c: Record<string, any>): Static<typeof CustomerView> => ({ phone: String(c.phone), name: String(c.name), persona: c.persona ?? null, blocked: !!c.blocked, optedOutOfMarketing: !!c.optedOutOfMarketing });

/**
 * Parley's shape of a customer's message → the emulator's UltraMsg inbound (`chat` with a body, `image` with
 * its bytes and the caption as body). UltraMsg has no reactions, buttons or lists; the emulator's UltraMsg
 * location carries no coordinates, so the phone does not offer one.
 */
function toUltraMsgInbound(phone: string, m: CustomerMessage): Record<string, unknown> {
  if (m.type === 'text' && m.text) return { from: phone, type: 'chat', body: m.text.body };
  if (m.type === 'image' && m.image) return { from: phone, type: 'image', body: m.image.caption ?? '', mediaBase64: m.image.dataBase64, mimeType: m.image.mimeType };
  throw new ParleyError('EMULATOR_NOT_ON_ULTRAMSG', { message: `An UltraMsg number cannot receive a ${m.type} message from a customer: text and photos only.` });
}

/** Parley's shape of a customer's message → the emulator's (Meta's webhook shapes). */
function toEmulatorMessage(phoneNumberId: string, m: CustomerMessage): Record<string, unknown> {
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new ParleyError('REQUEST_INVALID', { message: `A ${m.type} message needs its ${m.type} object.`, field: `/${m.type}` });
    return value;
  };
  const base = { phoneNumberId, ...(m.contextId ? { contextId: m.contextId } : {}) };
  switch (m.type) {
    case 'text':
      return { ...base, type: 'text', text: need(m.text) };
    case 'image': {
      const image = need(m.image);
      return { ...base, type: 'image', image: image.caption ? { caption: image.caption } : {}, mediaBase64: image.dataBase64, mimeType: image.mimeType };
    }
    case 'location':
      return { ...base, type: 'location', location: need(m.location) };
    case 'button':
      return { ...base, type: 'button', button: need(m.button) };
    case 'interactive': {
      const { type, reply } = need(m.interactive);
      return { ...base, type: 'interactive', interactive: { type, [type]: reply } };
    }
    case 'reaction': {
      const { messageId, emoji } = need(m.reaction);
      return { phoneNumberId, type: 'reaction', reaction: { message_id: messageId, emoji } };
    }
  }
}

export async function emulatorPhoneRoutes(app: ParleyApp, ctx: ParleyContext) {
  app.get('/v1/emulator/phone', {
    config: { permission: PERMISSION },
    schema: { tags, summary: 'The emulator phone: the numbers it can write to and the emulator\'s customers (only while `parley start` runs the built-in emulator).', security, response: { 200: PhoneView } },
  }, async (request) => {
    const link = linkOf(ctx);
    const numbers = (await listSenders(ctx.db, request.principal!.workspaceId)).filter((s) => onEmulator(link, s));
    const { items } = await forward<{ items: Array<Record<string, any>> }>(link, 'GET', 'customers');
    return {
      numbers: numbers.map((s) => ({ senderId: s.id, name: s.name, provider: s.provider, phoneNumberId: senderNumberId(s)!, displayPhone: s.displayPhone })),
      customers: items.map(presentCustomer),
    };
  });

  app.get('/v1/emulator/phone/chats/:senderId/:phone', {
    config: { permission: PERMISSION },
    schema: { tags, summary: 'A customer\'s chat with a number, as their phone shows it, oldest first.', security, params: ChatParams, response: { 200: ChatView } },
  }, async (request) => {
    const link = linkOf(ctx);
    const number = await emulatorSender(ctx, link, request.principal!.workspaceId, request.params.senderId);
    const query = number.provider === 'ultramsg' ? `instanceId=${encodeURIComponent(number.id)}` : `phoneNumberId=${encodeURIComponent(number.id)}`;
    const chat = await forward<{ customer: Record<string, any>; entries: Array<Record<string, any>> }>(link, 'GET', `customers/${encodeURIComponent(request.params.phone)}/chat?${query}`);
    return { customer: presentCustomer(chat.customer), entries: chat.entries.map((e) => ({ ...e, at: iso(e.at)! })) as Array<Static<typeof Entry>> };
  });

  app.post('/v1/emulator/phone/chats/:senderId/:phone/messages', {
    config: { permission: PERMISSION, audit: 'emulator.customer_wrote' },
    schema: { tags, summary: 'The customer sends a message to the number (the emulator posts its webhook to Parley as WhatsApp would).', security, params: ChatParams, body: CustomerMessage, response: { 202: Type.Object({ id: Type.String({ description: 'The new message\'s WhatsApp id.' }) }) } },
  }, async (request, reply) => {
    const link = linkOf(ctx);
    const number = await emulatorSender(ctx, link, request.principal!.workspaceId, request.params.senderId);
    const sent =
      number.provider === 'ultramsg'
        ? await forward<{ id: string }>(link, 'POST', `ultramsg/${encodeURIComponent(number.id)}/inbound`, toUltraMsgInbound(request.params.phone, request.body))
        : await forward<{ id: string }>(link, 'POST', `customers/${encodeURIComponent(request.params.phone)}/messages`, toEmulatorMessage(number.id, request.body));
    request.audit({ resource: { type: 'sender', id: request.params.senderId }, diff: { type: { to: request.body.type } } });
    return reply.status(202).send({ id: sent.id });
  });

  app.post('/v1/emulator/phone/chats/:senderId/:phone/read', {
    config: { permission: PERMISSION, audit: 'emulator.customer_read' },
    schema: { tags, summary: 'The customer reads the chat: the delivered messages not read yet get their `read` status.', security, params: ChatParams, response: { 200: Type.Object({ read: Type.Array(Type.String(), { description: 'The ids of the messages marked read.' }) }) } },
  }, async (request) => {
    const link = linkOf(ctx);
    const number = await emulatorSender(ctx, link, request.principal!.workspaceId, request.params.senderId);
    // The emulator's UltraMsg instances ack `read` by themselves, as a WhatsApp Web session reports it.
    if (number.provider === 'ultramsg') throw new ParleyError('EMULATOR_NOT_ON_ULTRAMSG', { message: 'An UltraMsg instance of the emulator reports reading by itself (its read acks): there is nothing for the phone to send.' });
    const answer = await forward<{ read: string[] }>(link, 'POST', `customers/${encodeURIComponent(request.params.phone)}/read`, { phoneNumberId: number.id });
    request.audit({ resource: { type: 'sender', id: request.params.senderId } });
    return { read: answer.read };
  });

  app.put('/v1/emulator/phone/chats/:senderId/:phone/blocked', {
    config: { permission: PERMISSION, audit: 'emulator.customer_blocked' },
    schema: { tags, summary: 'The customer blocks (or unblocks) the business: the emulator then fails messages to them with 131026, as WhatsApp does.', security, params: ChatParams, body: Type.Object({ blocked: Type.Boolean() }, { additionalProperties: false }), response: { 200: CustomerView } },
  }, async (request) => {
    const link = linkOf(ctx);
    await emulatorSender(ctx, link, request.principal!.workspaceId, request.params.senderId);
    const customer = await forward<Record<string, any>>(link, 'POST', `customers/${encodeURIComponent(request.params.phone)}/actions`, { action: request.body.blocked ? 'block' : 'unblock' });
    request.audit({ resource: { type: 'sender', id: request.params.senderId }, ...(request.body.blocked ? {} : { action: 'emulator.customer_unblocked' }) });
    return presentCustomer(customer);
  });
}

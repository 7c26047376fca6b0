import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorCore } from '../core.js';
import { recipientFailure } from '../rules/recipient-state.js';
import type { CustomerConfig, UltraMsgInstance } from '../types.js';
import { authorizeUltraMsg } from './authorize.js';

type Request = FastifyRequest<{ Params: { instanceId: string } }>;

/** Contacts the business blocked through `contacts/block`, per instance. */
const blockedByBusiness = new WeakMap<UltraMsgInstance, Set<string>>();

const chatIdOf = (phone: string) => `${phone}@c.us`;
const digitsOf = (chatId: string) => chatId.split('@')[0].replace(/[^0-9]/g, '');

const contactView = (c: CustomerConfig) => ({ id: chatIdOf(c.phone), name: c.name, pushname: c.name, isBusiness: false, isEnterprise: false, isMyContact: true, isBlocked: false });

/**
 * UltraMsg's chat and contact reads, as its SDKs call them (`GET /{instance}/chats`, `chats/messages`,
 * `contacts`, `contacts/contact`, `contacts/blocked`, `contacts/check`; `POST contacts/block|unblock`).
 * Chats are the instance's conversations (the numbers it sent to); contacts are the emulator's
 * customers. A missing `chatId` is UltraMsg's HTTP 200 `{"error":[{"chatId":"is required"}]}`.
 */
export function registerChatRoutes(app: FastifyInstance, core: EmulatorCore): void {
  /** Runs `body` for an authorized request with its `chatId`, or answers the problem. */
  const withChat = (request: Request, reply: FastifyReply, body: (instance: UltraMsgInstance, chatId: string) => unknown) => {
    const auth = authorizeUltraMsg(core, request, reply);
    if (!auth) return reply;
    const chatId = String(auth.params.chatId ?? '');
    if (!digitsOf(chatId)) return { error: [{ chatId: 'is required' }] };
    return body(auth.instance, chatId.includes('@') ? chatId : chatIdOf(digitsOf(chatId)));
  };
  const blockedOf = (instance: UltraMsgInstance) => {
    let set = blockedByBusiness.get(instance);
    if (!set) blockedByBusiness.set(instance, (set = new Set()));
    return set;
  };

  app.get<{ Params: { instanceId: string } }>('/:instanceId/chats', async (request, reply) => {
    const auth = authorizeUltraMsg(core, request, reply);
    if (!auth) return reply;
    const chats = new Map<string, number>();
    for (const m of core.state.ultramsgMessages.values()) if (m.instanceId === auth.instance.instanceId) chats.set(m.to, Math.max(chats.get(m.to) ?? 0, m.createdAt));
    return [...chats].map(([id, at]) => ({ id, name: core.state.customer(digitsOf(id))?.name ?? '', isGroup: id.endsWith('@g.us'), isReadOnly: false, unreadCount: 0, timestamp: Math.floor(at / 1000), pinned: false, isMuted: false }));
  });

  app.get<{ Params: { instanceId: string } }>('/:instanceId/chats/messages', async (request, reply) =>
    withChat(request, reply, (instance, chatId) =>
      [...core.state.ultramsgMessages.values()]
        .filter((m) => m.instanceId === instance.instanceId && m.to === chatId)
        .map((m) => ({ id: m.waId, from: m.from, to: m.to, author: '', pushname: '', ack: m.ack, type: m.type, body: m.body, media: m.metadata.media ?? '', fromMe: true, isForwarded: false, time: Math.floor(m.createdAt / 1000) })),
    ),
  );

  app.get<{ Params: { instanceId: string } }>('/:instanceId/contacts', async (request, reply) => {
    const auth = authorizeUltraMsg(core, request, reply);
    if (!auth) return reply;
    return [...core.state.customers.values()].map(contactView).map((c) => ({ ...c, isBlocked: blockedOf(auth.instance).has(c.id) }));
  });

  app.get<{ Params: { instanceId: string } }>('/:instanceId/contacts/contact', async (request, reply) =>
    withChat(request, reply, (instance, chatId) => {
      const customer = core.state.customer(digitsOf(chatId));
      return customer ? { ...contactView(customer), isBlocked: blockedOf(instance).has(chatId) } : { error: `contact ${chatId} not found` };
    }),
  );

  app.get<{ Params: { instanceId: string } }>('/:instanceId/contacts/blocked', async (request, reply) => {
    const auth = authorizeUltraMsg(core, request, reply);
    if (!auth) return reply;
    return [...blockedOf(auth.instance)];
  });

  // Whether the number has WhatsApp: the emulator's rules for undeliverable numbers decide.
  app.get<{ Params: { instanceId: string } }>('/:instanceId/contacts/check', async (request, reply) =>
    withChat(request, reply, (_instance, chatId) => {
      const digits = digitsOf(chatId);
      const customer = core.state.customer(digits);
      const invalid = customer?.undeliverable || recipientFailure(customer && { ...customer, blocked: false }, digits, core.config.behaviour.undeliverablePrefixes, false) !== null;
      return { status: invalid ? 'invalid' : 'valid', chatId };
    }),
  );

  for (const action of ['block', 'unblock'] as const) {
    app.post<{ Params: { instanceId: string } }>(`/:instanceId/contacts/${action}`, async (request, reply) =>
      withChat(request, reply, (instance, chatId) => {
        if (action === 'block') blockedOf(instance).add(chatId);
        else blockedOf(instance).delete(chatId);
        return { success: `${chatId} ${action}ed` };
      }),
    );
  }
}

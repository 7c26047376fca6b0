import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ParleyApp } from '../../http/types.js';
import type { ParleyContext } from '../../runtime/context.js';
import { ParleyError } from '../../errors/parley-error.js';
import { toParleyError } from '../../http/error-handler.js';
import { StringEnum, assertMatches } from '../../http/schemas.js';
import { findSenderByNumberKeysInWorkspace, type Sender } from '../../senders/sender-queries.js';
import { templateInCatalogue } from '../../templates/index.js';
import { CATEGORIES, MESSAGE_TYPES, SendMessageBody } from '../content-schema.js';
import { acceptMessage, refusalError } from '../accept.js';
import { markRead } from './mark-read.js';
import { sendAudit } from '../send-audit.js';
import { HttpPools } from '../../channels/http-pools.js';
import { createChannelRegistry, type ChannelRegistry } from '../../channels/registry.js';
import { numberKeysFor } from '../../channels/sender-identity.js';
import { toMetaError, unknownPathError } from './meta-errors.js';

const MetaSendBody = Type.Object(
  {
    messaging_product: Type.Literal('whatsapp'),
    recipient_type: Type.Optional(Type.String()),
    to: Type.String({ minLength: 1 }),
    type: Type.Optional(StringEnum(MESSAGE_TYPES)),
    context: Type.Optional(Type.Object({ message_id: Type.String() })),
    biz_opaque_callback_data: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: true },
);

/** What the route's schema checks for both bodies it takes: a send, or a read receipt (`status: "read"`). */
const MetaMessagesBody = Type.Object({ messaging_product: Type.Literal('whatsapp') }, { additionalProperties: true });

/** A Graph version in the path (`v23.0`); in the unversioned route's place of the phone number id it names no object. */
const GRAPH_VERSION = /^v\d+(\.\d+)?$/;

type MessagesRequest = FastifyRequest<{ Params: { version?: string; phoneNumberId: string }; Headers: { 'idempotency-key'?: string; 'parley-lane'?: (typeof CATEGORIES)[number]; 'parley-category'?: (typeof CATEGORIES)[number] } }>;

/**
 * The Cloud-API-compatible gateway (M12): `POST /graph/{version}/{phone_number_id}/messages`, and
 * `POST /graph/{phone_number_id}/messages` without a version as Graph serves it (with
 * PARLEY_GRAPH_VERSION), takes Meta's request bodies and answers Meta's response shapes and error
 * envelope. A send goes through the same gates and lanes as `/v1/messages`; a read receipt
 * (`status: "read"`, optionally with `typing_indicator`) goes to the provider at once. The bearer token is
 * a Parley API key; `{phone_number_id}` names one of the workspace's Cloud API senders. `Parley-Category`
 * picks the lane (default: transactional for templates, conversation otherwise). Any other path under
 * `/graph` answers Graph's "Unknown path components" (2500).
 */
export async function gatewayRoutes(app: ParleyApp, ctx: ParleyContext) {
  // Read receipts go to the sender's adapter (sends go through the outbox and the dispatcher).
  const pools = new HttpPools(4);
  const channels = createChannelRegistry(pools, ctx.config);
  app.addHook('onClose', () => pools.close());
  await app.register(
    async (graph) => {
      graph.setErrorHandler((error, request, reply) => {
        const parleyError = toParleyError(error);
        if (parleyError.status >= 500 && parleyError.code !== 'STORAGE_FULL') request.log.error({ err: error }, 'gateway error');
        const meta = toMetaError(parleyError);
        return reply.status(meta.status).send(meta.body);
      });
      graph.setNotFoundHandler((request, reply) => {
        const path = request.url.split('?')[0].replace(/^\/graph/, '');
        return reply.status(400).send(unknownPathError(path));
      });

      const schema = (versioned: boolean) => ({
        tags: ['gateway'],
        summary: versioned
          ? "Cloud-API-compatible send or read receipt: Meta request and response shapes, with Parley's gates, lanes, fallback and audit."
          : 'The same, without a Graph version in the path (Graph serves it with its default version: PARLEY_GRAPH_VERSION).',
        security: [{ apiKey: [] }],
        params: versioned ? Type.Object({ version: Type.String({ pattern: '^v\\d+(\\.\\d+)?$' }), phoneNumberId: Type.String() }) : Type.Object({ phoneNumberId: Type.String() }),
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 255 })), 'parley-lane': Type.Optional(StringEnum(CATEGORIES)), 'parley-category': Type.Optional(StringEnum(CATEGORIES, { deprecated: true, description: 'Deprecated: the earlier name of Parley-Lane.' })) }),
        body: MetaMessagesBody,
      });
      const handler = (request: MessagesRequest, reply: FastifyReply) => messages(ctx, channels, request, reply);
      // A send records `message.accepted` with the accept; a read receipt changes nothing of Parley's.
      const config = { permission: 'messages.send', audit: { action: 'message.accepted', inTransaction: true } } as const;
      graph.post('/:version/:phoneNumberId/messages', { config, schema: schema(true) }, handler as never);
      graph.post('/:phoneNumberId/messages', { config, schema: schema(false) }, handler as never);
    },
    { prefix: '/graph' },
  );
}

async function cloudSender(ctx: ParleyContext, workspaceId: string, phoneNumberId: string): Promise<Sender> {
  // `/graph/v23.0/messages` lands in the unversioned route: Graph would read `messages` as the object id.
  const objectId = GRAPH_VERSION.test(phoneNumberId) ? 'messages' : phoneNumberId;
  const sender = GRAPH_VERSION.test(phoneNumberId) ? undefined : await findSenderByNumberKeysInWorkspace(ctx.db, workspaceId, numberKeysFor('phoneNumberId', phoneNumberId));
  if (!sender) throw new ParleyError('SENDER_NOT_FOUND', { message: `No sender with phone_number_id ${objectId} in this workspace.` });
  return sender;
}

async function messages(ctx: ParleyContext, channels: ChannelRegistry, request: MessagesRequest, reply: FastifyReply) {
  const workspaceId = request.principal!.workspaceId;
  const sender = await cloudSender(ctx, workspaceId, request.params.phoneNumberId);
  const raw = request.body as Record<string, unknown>;
  if (raw.status !== undefined) {
    const answer = await markRead(ctx, channels.forSender(sender), sender, raw);
    return reply.status(answer.status).send(answer.body);
  }
  if (raw.to === undefined) throw new ParleyError('REQUEST_INVALID', { message: 'body/to is required.', field: '/to' });
  assertMatches(MetaSendBody, raw);
  const meta = raw as Record<string, unknown> & { to: string; type?: string; context?: { message_id: string }; biz_opaque_callback_data?: string };
  const type = (meta.type ?? 'text') as NonNullable<SendMessageBody['type']>;
  const to = meta.to.startsWith('+') ? meta.to : `+${meta.to.replace(/\D/g, '')}`;
  const body = {
    to,
    from: sender.id,
    type,
    [type]: meta[type],
    lane: request.headers['parley-lane'] ?? request.headers['parley-category'] ?? (type === 'template' ? 'transactional' : 'conversation'),
    ...(meta.context ? { replyTo: meta.context.message_id } : {}),
    ...(meta.biz_opaque_callback_data ? { metadata: { biz_opaque_callback_data: meta.biz_opaque_callback_data } } : {}),
  };
  assertMatches(SendMessageBody, body);
  if (type === 'template' && sender.wabaId) await refuseUnknownTemplate(ctx, workspaceId, sender.wabaId, meta.template as { name?: unknown; language?: { code?: unknown } } | undefined);
  const result = await acceptMessage(ctx, ctx.gates, { workspaceId, body, idempotencyKey: request.headers['idempotency-key'], audit: sendAudit(request) });
  if (result.outcome === 'refused') throw refusalError(result.view);
  return {
    messaging_product: 'whatsapp',
    contacts: [{ input: meta.to, wa_id: to.slice(1) }],
    messages: [{ id: result.view.id, message_status: 'accepted' }],
  };
}

/**
 * Meta refuses a template it does not have in that language at once (132001), so the gateway does too:
 * when the sender's WABA has no such template in Parley, even after re-reading the provider's list
 * (bounded: `RESYNC_ON_MISS_INTERVAL`). When the provider cannot be read, the send goes on and the
 * provider decides, as `/v1/messages` does.
 */
async function refuseUnknownTemplate(ctx: ParleyContext, workspaceId: string, wabaId: string, template: { name?: unknown; language?: { code?: unknown } } | undefined): Promise<void> {
  const name = typeof template?.name === 'string' ? template.name : undefined;
  const language = typeof template?.language?.code === 'string' ? template.language.code : undefined;
  if (!name || !language) return;
  const found = await templateInCatalogue(ctx, { workspaceId, wabaId, name, language });
  if (found === 'missing') {
    throw new ParleyError('GATEWAY_TEMPLATE_UNKNOWN', { message: `Template name does not exist in the translation: ${name} (${language}) is not a template of WhatsApp Business Account ${wabaId}.`, field: '/template/name' });
  }
}

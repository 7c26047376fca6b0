import { Type } from '@sinclair/typebox';
import type { ParleyApp } from '../../http/types.js';
import type { ParleyContext } from '../../runtime/context.js';
import { ParleyError } from '../../errors/parley-error.js';
import { toParleyError } from '../../http/error-handler.js';
import { StringEnum, assertMatches } from '../../http/schemas.js';
import { CATEGORIES, MESSAGE_TYPES, SendMessageBody } from '../content-schema.js';
import { acceptMessage, refusalError } from '../accept.js';
import { OUTBOUND_GATES } from '../gates/index.js';
import { toMetaError } from './meta-errors.js';

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

/**
 * The Cloud-API-compatible gateway (M12): `POST /graph/{version}/{phone_number_id}/messages` takes Meta's
 * request body and answers Meta's response shape and error envelope, through the same gates and lanes
 * as `/v1/messages`. The bearer token is a Parley API key; `{phone_number_id}` names one of the
 * workspace's Cloud API senders. `Parley-Category` picks the lane (default: transactional for templates,
 * conversation otherwise).
 */
export async function gatewayRoutes(app: ParleyApp, ctx: ParleyContext) {
  app.setErrorHandler((error, request, reply) => {
    const parleyError = toParleyError(error);
    if (parleyError.status >= 500 && parleyError.code !== 'STORAGE_FULL') request.log.error({ err: error }, 'gateway error');
    const meta = toMetaError(parleyError);
    return reply.status(meta.status).send(meta.body);
  });

  app.post('/graph/:version/:phoneNumberId/messages', {
    config: { scope: 'messages:write' },
    schema: {
      tags: ['gateway'],
      summary: 'Cloud-API-compatible send: Meta request and response shapes, with Parley\'s gates, lanes, fallback and audit.',
      security: [{ apiKey: [] }],
      params: Type.Object({ version: Type.String({ pattern: '^v\\d+(\\.\\d+)?$' }), phoneNumberId: Type.String() }),
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 255 })), 'parley-category': Type.Optional(StringEnum(CATEGORIES)) }),
      body: MetaSendBody,
    },
  }, async (request) => {
    const workspaceId = request.auth!.workspaceId;
    const sender = await ctx.db.selectFrom('senders').select('id').where('workspace_id', '=', workspaceId).where('phone_number_id', '=', request.params.phoneNumberId).executeTakeFirst();
    if (!sender) throw new ParleyError('SENDER_NOT_FOUND', { message: `No sender with phone_number_id ${request.params.phoneNumberId} in this workspace.` });
    const meta = request.body as Record<string, unknown> & { to: string; type?: string; context?: { message_id: string }; biz_opaque_callback_data?: string };
    const type = (meta.type ?? 'text') as NonNullable<SendMessageBody['type']>;
    const to = meta.to.startsWith('+') ? meta.to : `+${meta.to.replace(/\D/g, '')}`;
    const body = {
      to,
      from: sender.id,
      type,
      [type]: meta[type],
      category: request.headers['parley-category'] ?? (type === 'template' ? 'transactional' : 'conversation'),
      ...(meta.context ? { replyTo: meta.context.message_id } : {}),
      ...(meta.biz_opaque_callback_data ? { metadata: { biz_opaque_callback_data: meta.biz_opaque_callback_data } } : {}),
    };
    assertMatches(SendMessageBody, body);
    const result = await acceptMessage(ctx, OUTBOUND_GATES, { workspaceId, body, idempotencyKey: request.headers['idempotency-key'] });
    if (result.outcome === 'refused') throw refusalError(result.view);
    return {
      messaging_product: 'whatsapp',
      contacts: [{ input: meta.to, wa_id: to.slice(1) }],
      messages: [{ id: result.view.id, message_status: 'accepted' }],
    };
  });
}

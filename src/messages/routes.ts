import { Type } from '@sinclair/typebox';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { Nullable, StringEnum, Timestamp, iso } from '../http/schemas.js';
import { MESSAGE_STATUSES } from './status.js';
import { MessageView } from './message-view.js';
import { CONTENT_PERMISSION, readMessage, readsContent, requireContentAccess } from './read-message-view.js';
import { cancelMessage } from './cancel-message.js';
import { listMessages } from './read-message.js';
import { listDeadLetters } from './dead-letters.js';

/** Messages per page when the list carries content (each row is decrypted). */
const CONTENT_PAGE_LIMIT = 200;

// Messages once sent or received (M1.2): read one with its history and decisions, cancel, list, dead letters.
export async function messageRoutes(app: ParleyApp, ctx: ParleyContext) {
  const security = [{ apiKey: [] }];

  app.get('/v1/messages/:id', {
    config: { permission: 'messages.read', audit: 'message.read_content' },
    schema: { tags: ['messages'], summary: 'Read a message with its status history and decision log.', security, params: Type.Object({ id: Type.String() }), response: { 200: MessageView } },
  }, async (request) => {
    // Without the permission to read content, the message is shown without it (status, history).
    const content = readsContent(request.principal!);
    const view = await readMessage(ctx, request.principal!.workspaceId, request.params.id, { content });
    if (!view) throw new ParleyError('MESSAGE_NOT_FOUND');
    // Only a message shown with its content is a read of personal data.
    if (!content) request.audit(false);
    return view;
  });

  app.post('/v1/messages/:id/cancel', {
    config: { permission: 'messages.cancel', audit: 'message.cancelled' },
    schema: { tags: ['messages'], summary: 'Cancel a message still queued or scheduled.', security, params: Type.Object({ id: Type.String() }), response: { 200: MessageView } },
  }, async (request) => {
    await cancelMessage(ctx.db, request.principal!.workspaceId, request.params.id, ctx.clock.now());
    // Whoever may cancel does not necessarily read content: show it only when they may.
    const view = (await readMessage(ctx, request.principal!.workspaceId, request.params.id, { content: readsContent(request.principal!) }))!;
    request.audit({ diff: { status: { to: view.status } } });
    return view;
  });

  app.get('/v1/messages', {
    config: { permission: 'messages.read', audit: 'message.read_content' },
    schema: {
      tags: ['messages'],
      summary: 'List messages, newest first.',
      security,
      querystring: Type.Object({
        status: Type.Optional(StringEnum(MESSAGE_STATUSES)),
        contactId: Type.Optional(Type.String()),
        direction: Type.Optional(StringEnum(['inbound', 'outbound'] as const)),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        before: Type.Optional(Type.String({ description: 'Cursor: the `nextCursor` of the previous page.' })),
        include: Type.Optional(StringEnum(['content'] as const, { description: `\`content\`: each message's decrypted content (what GET /v1/messages/{id} shows), so replies are read without one request per message. Needs the permission to read message content (${CONTENT_PERMISSION}, which a key's messages:read scope grants); at most ${CONTENT_PAGE_LIMIT} messages per page.` })),
      }),
      response: {
        200: Type.Object({
          data: Type.Array(Type.Object({
            id: Type.String(),
            direction: Type.String(),
            status: Type.String(),
            lane: Nullable(Type.String({ description: 'The lane of an outbound message; null for inbound ones.' })),
            category: Nullable(Type.String({ deprecated: true, description: 'Deprecated: the same as `lane` (decision 0013).' })),
            type: Type.String(),
            contactId: Nullable(Type.String()),
            senderId: Nullable(Type.String()),
            replyTo: Nullable(Type.String({ description: 'The message this one answers (an inbound reply names the outbound message it quotes).' })),
            createdAt: Timestamp(),
            statusAt: Timestamp(),
            content: Type.Optional(Nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'With include=content only.' }))),
          })),
          nextCursor: Nullable(Type.String()),
        }),
      },
    },
  }, async (request) => {
    const q = request.query;
    const withContent = q.include === 'content';
    const workspaceId = request.principal!.workspaceId;
    if (withContent) requireContentAccess(request.principal!);
    if (withContent && q.limit !== undefined && q.limit > CONTENT_PAGE_LIMIT) {
      throw new ParleyError('REQUEST_INVALID', { message: `With include=content a page holds at most ${CONTENT_PAGE_LIMIT} messages: ask for limit=${CONTENT_PAGE_LIMIT} or fewer and follow nextCursor.`, field: '/limit', details: { maxLimit: CONTENT_PAGE_LIMIT } });
    }
    const { rows, contents, nextCursor } = await listMessages(ctx.db, ctx.keyring, workspaceId, { status: q.status, contactId: q.contactId, direction: q.direction, before: q.before, limit: q.limit ?? 50, content: withContent });
    // One entry for the page read with content: the messages it showed, by id.
    request.audit(withContent ? { resource: { type: 'message', id: null }, diff: { shown: { to: { count: rows.length, ids: rows.map((r) => r.id) } } } } : false);
    return {
      data: rows.map((r, i) => ({
        id: r.id,
        direction: r.direction,
        status: r.status,
        lane: r.lane,
        category: r.lane,
        type: r.type,
        contactId: r.contact_id,
        senderId: r.sender_id,
        replyTo: r.reply_to,
        createdAt: iso(r.created_at)!,
        statusAt: iso(r.status_at)!,
        ...(contents ? { content: contents[i] } : {}),
      })),
      nextCursor,
    };
  });

  app.get('/v1/dead-letters', {
    config: { permission: 'messages.read' },
    schema: {
      tags: ['messages'],
      summary: 'Messages that ended without being delivered, with the reason (newest first).',
      security,
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }),
      response: { 200: Type.Object({ data: Type.Array(Type.Object({ messageId: Type.String(), reason: Type.String(), errorCode: Nullable(Type.String()), attempts: Type.Integer(), at: Timestamp() })) }) },
    },
  }, async (request) => {
    const letters = await listDeadLetters(ctx.db, request.principal!.workspaceId, request.query.limit ?? 100);
    return { data: letters.map((l) => ({ messageId: l.messageId, reason: l.reason, errorCode: l.errorCode, attempts: l.attempts, at: iso(l.at)! })) };
  });
}

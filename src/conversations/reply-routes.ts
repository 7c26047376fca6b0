import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { MultilineText, Nullable, Timestamp, iso } from '../http/schemas.js';
import { seesTeam } from '../access/team-scope.js';
import { conversationMessages } from '../messages/conversation-messages.js';
import { readsContent } from '../messages/read-message-view.js';
import { conversationEvents } from './conversation-store.js';
import { ConversationEventView, ConversationView, presentConversation, presentEvent, principalActor } from './conversation-view.js';
import { labelsOf, setLabels } from './label-store.js';
import { addNote, readNotes } from './notes.js';
import type { ConversationPorts } from './ports.js';
import { replyInConversation, visibleConversation, type ReplyContent } from './reply.js';
import { annotateConversation } from './transitions.js';
import { VARIABLE_NAME } from './canned-reply.js';
import { closedWindow } from './reply-rules.js';
import { windowClosesAt } from './service-window.js';
import { readWindow } from './window-queries.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const IdParams = Type.Object({ id: Id });
const Label = Type.String({ minLength: 1, maxLength: 50, pattern: '^[a-z0-9][a-z0-9_-]*$', description: 'Lower-case letters, digits, `-` and `_`.' });
const MAX_LABELS = 20;
const Changed = { conversation: ConversationView, events: Type.Array(ConversationEventView) };

/**
 * Replying, notes, labels and the timeline of a conversation (decision 0022). The send goes through
 * the outbound module's port; the payload schema is its (`ports.messageBody`).
 */
export function replyRoutes(ports: ConversationPorts) {
  return async (app: ParleyApp, ctx: ParleyContext) => {
    const security = [{ apiKey: [] }];
    const tags = ['conversations'];
    const principal = (request: FastifyRequest) => request.principal!;
    const payloadKeys = Object.keys(ports.messageBody.properties).filter((k) => k !== 'type' && k !== 'replyTo');

    const ReplyBody = Type.Object(
      {
        ...ports.messageBody.properties,
        canned: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$', description: 'Send a canned reply by its shortcut (as text), instead of `type` and its payload.' })),
        variables: Type.Optional(Type.Record(Type.String({ pattern: VARIABLE_NAME.source, maxLength: 64 }), Type.String({ maxLength: 1024 }), { description: 'Values for the canned reply\'s own variables (`order.id`); Parley fills `contact.name`, `agent.name`, `conversation.id`.' })),
      },
      { additionalProperties: false },
    );

    app.post('/v1/conversations/:id/messages', {
      config: { permission: 'conversations.reply', audit: 'conversation.replied' },
      schema: {
        tags,
        summary: 'Reply to the customer: a message (`type` and its payload) or a canned reply (`canned`).',
        description:
          'Only the owner replies (a person with `conversations.assign` or an API key may too); never while the bot owns it (409 CONVERSATION_BOT_OWNED). ' +
          'When the 24-hour window is closed, anything but a template is refused before it is sent (422 CONVERSATION_WINDOW_CLOSED) with the templates usable for the contact\'s language and their parameters in `details.templates`.',
        security,
        params: IdParams,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Same key and reply: the original answer, sent once.' })) }),
        body: ReplyBody,
        response: { 202: Type.Object({ messageId: Type.String(), replayed: Type.Boolean(), ...Changed }) },
      },
    }, async (request, reply) => {
      // Another workspace's or team's conversation is not found, whatever the body says.
      await visibleConversation(ctx, principal(request), request.params.id);
      const body = request.body as Record<string, unknown>;
      const given = payloadKeys.filter((k) => body[k] !== undefined);
      let content: ReplyContent;
      if (typeof body.canned === 'string') {
        if (body.type !== undefined || given.length || body.replyTo !== undefined) throw new ParleyError('CONVERSATION_REPLY_INVALID', { field: '/canned' });
        content = { kind: 'canned', shortcut: body.canned, variables: (body.variables as Record<string, string> | undefined) ?? {} };
      } else {
        const type = body.type;
        if (typeof type !== 'string' || body.variables !== undefined || given.some((k) => k !== type)) throw new ParleyError('CONVERSATION_REPLY_INVALID', { field: '/type' });
        content = { kind: 'message', message: { type, [type]: body[type], ...(body.replyTo !== undefined ? { replyTo: body.replyTo } : {}) } };
      }
      const idempotencyKey = (request.headers as Record<string, string | undefined>)['idempotency-key'];
      const result = await replyInConversation(ctx, ports, { principal: principal(request), conversationId: request.params.id, content, ...(idempotencyKey ? { idempotencyKey } : {}) });
      request.audit({ diff: { messageId: { to: result.messageId } } });
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(202).send({ messageId: result.messageId, replayed: result.replayed, conversation: presentConversation(result.changed.conversation), events: result.changed.events.map(presentEvent) });
    });

    const TimelineMessage = Type.Object({
      id: Type.String(),
      direction: Type.String({ description: '`inbound` (the customer) or `outbound`.' }),
      type: Type.String(),
      status: Type.String(),
      lane: Nullable(Type.String()),
      templateName: Nullable(Type.String()),
      templateLanguage: Nullable(Type.String()),
      author: Nullable(Type.String({ description: 'Who sent a reply: `user:<id>` or `key:<id>`.' })),
      createdAt: Timestamp(),
      statusAt: Timestamp(),
      error: Nullable(Type.Object({
        code: Nullable(Type.String({ description: 'The provider\'s error code (`131026`), Parley\'s (`network`), or a refusal code (`window_closed`).' })),
        message: Nullable(Type.String()),
      }, { description: 'Why the message failed, was refused or expired; null otherwise.' })),
      content: Nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'The payload; null without `messages.read_content`.' })),
    });

    app.get('/v1/conversations/:id/messages', {
      config: { permission: 'conversations.read' },
      schema: {
        tags,
        summary: 'The conversation\'s messages, oldest first: the customer\'s and the replies, from its opening until it ended (or now). Content needs `messages.read_content`.',
        security,
        params: IdParams,
        querystring: Type.Object({
          after: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Cursor: the `nextCursor` of the previous page.' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        }),
        response: { 200: Type.Object({ data: Type.Array(TimelineMessage), nextCursor: Nullable(Type.String()) }) },
      },
    }, async (request) => {
      const p = principal(request);
      const c = await visibleConversation(ctx, p, request.params.id);
      const [first] = await conversationEvents(ctx.db, c.workspaceId, c.id, 0, 2).then((events) => events.filter((e) => e.type === 'conversation.message_in'));
      const openedBy = typeof first?.data.messageId === 'string' ? first.data.messageId : null;
      const page = await conversationMessages(ctx.db, ctx.keyring, {
        workspaceId: c.workspaceId,
        senderId: c.senderId,
        contactId: c.contactId,
        from: c.createdAt,
        // An ended conversation's last recorded change (a message joining it, a reply, its resolution)
        // is its last moment: the customer message that ended it opens the next one and was stored
        // before the end was recorded, so `endedAt` itself would take that message in.
        until: c.endedAt === null ? null : c.lastActivityAt + 1,
        openedBy,
        ...(request.query.after ? { after: request.query.after } : {}),
        limit: request.query.limit ?? 50,
        content: readsContent(p),
      });
      return { data: page.messages.map((m) => ({ ...m, createdAt: iso(m.createdAt)!, statusAt: iso(m.statusAt)! })), nextCursor: page.nextCursor };
    });

    const UsableTemplateView = Type.Object({
      id: Type.String(),
      name: Type.String(),
      language: Type.String(),
      category: Type.String(),
      body: Nullable(Type.String({ description: 'The body\'s text with its placeholders.' })),
      parameters: Type.Array(Type.Object({ component: Type.String({ description: '`header`, `body` or `button:<index>`.' }), name: Type.String(), example: Nullable(Type.String()) })),
      components: Type.Array(Type.Record(Type.String(), Type.Unknown()), { description: 'The live version\'s components in Meta\'s shape: what the customer will see.' }),
    });

    app.get('/v1/conversations/:id/window', {
      config: { permission: 'conversations.read' },
      schema: {
        tags,
        summary: 'The 24-hour customer-service window of the conversation\'s contact and sender: whether free-form replies may go, and the approved templates that may be sent, for the contact\'s language.',
        security,
        params: IdParams,
        response: {
          200: Type.Object({
            boundByWindow: Type.Boolean({ description: 'Whether the sender\'s channel has the window at all; when false, `open` is always true.' }),
            open: Type.Boolean({ description: 'Whether a free-form reply may be sent now; when false, only a template.' }),
            lastInboundAt: Nullable(Timestamp({ description: 'The customer\'s last message to this sender; null: never.' })),
            closesAt: Nullable(Timestamp({ description: 'When the window closes (or closed).' })),
            language: Nullable(Type.String({ description: 'The contact\'s language, which chose the templates.' })),
            templates: Type.Array(UsableTemplateView),
          }),
        },
      },
    }, async (request) => {
      const c = await visibleConversation(ctx, principal(request), request.params.id);
      const peer = await ports.peer(ctx, { workspaceId: c.workspaceId, senderId: c.senderId, contactId: c.contactId });
      if (!peer) throw new ParleyError('SENDER_UNAVAILABLE', { message: 'The conversation\'s sender or contact no longer exists.' });
      const lastInboundAt = await readWindow(ctx.db, c.senderId, c.contactId);
      const closed = closedWindow({ boundByWindow: peer.boundByWindow, lastInboundAt, now: ctx.clock.now(), type: 'text' });
      const templates = await ports.usableTemplates(ctx, { workspaceId: c.workspaceId, senderId: c.senderId, language: peer.contactLanguage });
      return {
        boundByWindow: peer.boundByWindow,
        open: closed === undefined,
        lastInboundAt: iso(lastInboundAt),
        closesAt: lastInboundAt === null ? null : iso(windowClosesAt(lastInboundAt)),
        language: peer.contactLanguage,
        templates: templates.map((t) => ({ ...t, components: t.components as Array<Record<string, unknown>> })),
      };
    });

    const NoteView = Type.Object({ id: Type.String(), conversationId: Type.String(), author: Type.String(), text: Type.String(), mentions: Type.Array(Type.String()), createdAt: Timestamp() });
    const presentNote = (n: { id: string; conversationId: string; author: string; text: string; mentions: string[]; createdAt: number }) => ({ ...n, createdAt: iso(n.createdAt)! });

    app.post('/v1/conversations/:id/notes', {
      config: { permission: 'conversations.reply', audit: 'conversation.noted' },
      schema: {
        tags,
        summary: 'Add a private note: never sent to the customer, stored sealed. Mention colleagues by user id (active users who can see the conversation).',
        security,
        params: IdParams,
        body: Type.Object({ text: MultilineText({ minLength: 1, maxLength: 4096 }), mentions: Type.Optional(Type.Array(Id, { maxItems: 20 })) }, { additionalProperties: false }),
        response: { 201: Type.Object({ note: NoteView, ...Changed }) },
      },
    }, async (request, reply) => {
      const { note, changed } = await addNote(ctx, principal(request), request.params.id, { text: request.body.text, mentions: request.body.mentions ?? [] });
      // The note's text is personal data: the trail names the note, not what it says.
      request.audit({ diff: { noteId: { to: note.id }, mentions: { to: note.mentions } } });
      return reply.status(201).send({ note: presentNote(note), conversation: presentConversation(changed.conversation), events: changed.events.map(presentEvent) });
    });

    app.get('/v1/conversations/:id/notes', {
      config: { permission: 'conversations.read' },
      schema: { tags, summary: 'The conversation\'s private notes, oldest first.', security, params: IdParams, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 200 })) }), response: { 200: Type.Object({ data: Type.Array(NoteView) }) } },
    }, async (request) => ({ data: (await readNotes(ctx, principal(request), request.params.id, request.query.limit ?? 200)).map(presentNote) }));

    app.put('/v1/conversations/:id/labels', {
      config: { permission: 'conversations.reply', audit: 'conversation.labeled' },
      schema: {
        tags,
        summary: 'Set the conversation\'s labels (replaces them); list by label with `GET /v1/conversations?label=`.',
        security,
        params: IdParams,
        body: Type.Object({ labels: Type.Array(Label, { maxItems: MAX_LABELS }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ labels: Type.Array(Type.String()), ...Changed }) },
      },
    }, async (request) => {
      const p = principal(request);
      let labels: string[] = [];
      const changed = await annotateConversation(ctx, { workspaceId: p.workspaceId, conversationId: request.params.id, actor: principalActor(p), visible: (c) => seesTeam(p, c.teamId) }, async (trx, c) => {
        const { added, removed } = await setLabels(trx, c.workspaceId, c.id, request.body.labels);
        labels = await labelsOf(trx, c.id);
        return added.length || removed.length ? [{ type: 'conversation.labeled', data: { labels, added, removed } }] : [];
      });
      request.audit({ diff: { labels: { to: labels } } });
      return { labels, conversation: presentConversation(changed.conversation), events: changed.events.map(presentEvent) };
    });
  };
}

import { Type, type Static, type TObject } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { MultilineText, Nullable, StringEnum, Timestamp } from '../http/schemas.js';
import { holds } from '../access/principal.js';
import type { Permission } from '../access/permissions.js';
import { teamIdsOfUser, userStanding } from '../access/users/user-queries.js';
import { getTeam } from '../access/users/team-queries.js';
import { seesTeam, teamFilter } from '../access/team-scope.js';
import { conversationEvents, listConversations } from './conversation-store.js';
import { conversationsMatching } from '../search/match.js';
import { SEARCH_QUERY_MAX } from '../search/terms.js';
import { ConversationEventView, ConversationView, presentConversation, presentEvent, principalActor } from './conversation-view.js';
import { changeConversation } from './transitions.js';
import { visibleConversation } from './reply.js';
import { afterConversationChanged } from './assignment/engine.js';
import { CONVERSATION_STATES, OWNER_TYPES, type ConversationCommand } from './state-machine.js';
import type { ConversationPorts } from './ports.js';

/** What a conversations list can carry with each conversation (`include=`). */
const LIST_INCLUDES = ['contact'] as const;
/** The permission to see a contact's name and number (as `contacts/personal-data.ts` says). */
const PERSONAL_DATA: Permission = 'contacts.read_pii';
const ListedConversation = Type.Composite([ConversationView, Type.Object({
  contact: Type.Optional(Type.Object({ name: Nullable(Type.String()), phone: Nullable(Type.String()) }, {
    description: `With \`include=contact\` and the permission ${PERSONAL_DATA}: the contact's display name and phone number (null when unknown, or the contact was merged or erased).`,
  })),
})]);

const Id = Type.String({ minLength: 1, maxLength: 64 });
const IdParams = Type.Object({ id: Id });
const Reason = MultilineText({ minLength: 1, maxLength: 500 });
const Changed = Type.Object({ conversation: ConversationView, events: Type.Array(ConversationEventView) });

/**
 * The conversations API (M4): list and read, and every transition of the state machine. Agents and
 * supervisors see their own teams' conversations only (another team's answers 404, as another
 * workspace's); an agent takes, releases, escalates, snoozes and resolves (`conversations.reply`),
 * assigning to someone else, transferring and taking over need `conversations.assign`. The list names
 * its contacts (`include=contact`) through the contacts module's reader (`ports.contactCards`).
 */
export const conversationRoutes = (ports: Pick<ConversationPorts, 'contactCards'>) => async (app: ParleyApp, ctx: ParleyContext) => {
  const security = [{ apiKey: [] }];
  const tags = ['conversations'];
  const principal = (request: FastifyRequest) => request.principal!;

  const change = async (request: FastifyRequest<{ Params: { id: string } }>, commandOf: () => ConversationCommand) => {
    const p = principal(request);
    // Another workspace's or team's conversation is not found, whatever else is wrong with the request.
    const previous = await visibleConversation(ctx, p, request.params.id);
    const command = commandOf();
    if (command.type === 'assign') await checkTargets(p.workspaceId, command.userId, null);
    if (command.type === 'transfer' || command.type === 'escalate') await checkTargets(p.workspaceId, command.type === 'transfer' ? command.userId : null, command.teamId);
    // Who owned it before (read above): when it leaves them, their teams' queues may have work for their free room.
    const changed = await changeConversation(ctx, { workspaceId: p.workspaceId, conversationId: request.params.id, command, actor: principalActor(p), visible: (c) => seesTeam(p, c.teamId) });
    await afterConversationChanged(ctx, previous?.owner.type === 'user' ? previous.owner.userId : null, changed);
    request.audit({ diff: { state: { to: changed.conversation.state }, owner: { to: changed.conversation.owner.type === 'user' ? changed.conversation.owner.userId : changed.conversation.owner.type } } });
    return { conversation: presentConversation(changed.conversation), events: changed.events.map(presentEvent) };
  };
  const selfUser = (request: FastifyRequest) => {
    const p = principal(request);
    if (p.actor.type !== 'user') throw new ParleyError('CONVERSATION_TAKE_NEEDS_PERSON');
    return p.actor.id;
  };
  /** An assignee must be an active user of the workspace; a team, one of the workspace's. */
  const checkTargets = async (workspaceId: string, userId: string | null, teamId: string | null) => {
    if (userId !== null) {
      const user = await userStanding(ctx.db, workspaceId, userId);
      if (!user || user.status !== 'active') throw new ParleyError('USER_NOT_FOUND', { field: '/userId', message: 'No active user with this id in the workspace.' });
    }
    if (teamId !== null && !(await getTeam(ctx.db, workspaceId, teamId))) throw new ParleyError('TEAM_NOT_FOUND', { field: '/teamId' });
  };

  app.get('/v1/conversations', {
    config: { permission: 'conversations.read', audit: 'contact.read_pii' },
    schema: {
      tags,
      summary: 'List conversations, newest first: an agent sees their own teams\' only.',
      description: `\`include=contact\` adds each conversation's \`contact\` (name and phone number, decrypted), read with the page and recorded as one \`contact.read_pii\` audit entry naming the page's contacts. Without the permission ${PERSONAL_DATA} the field is omitted and nothing is recorded, as the contacts list withholds personal fields from an analyst.`,
      security,
      querystring: Type.Object({
        state: Type.Optional(StringEnum(CONVERSATION_STATES)),
        ownerUserId: Type.Optional(Id),
        ownerType: Type.Optional(StringEnum(OWNER_TYPES, { description: 'Only conversations whose owner is of this type: `nobody` lists the unassigned ones.' })),
        teamId: Type.Optional(Id),
        myTeams: Type.Optional(Type.Boolean({ description: 'Only conversations of the teams the signed-in person belongs to (refused for an API key).' })),
        contactId: Type.Optional(Id),
        label: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'Only conversations with this label.' })),
        q: Type.Optional(Type.String({ maxLength: SEARCH_QUERY_MAX, description: 'Only conversations whose contact\'s name has every word as a word or the start of one ("ana" finds "Anabel"), or with a message holding every word; case and accents do not matter, words shorter than two characters are ignored. Messages are searchable a few seconds after they arrive (the search indexer).' })),
        before: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Cursor: the `nextCursor` of the previous page.' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        include: Type.Optional(StringEnum(LIST_INCLUDES, { description: '`contact`: each conversation carries its contact\'s name and phone number (needs the permission to read them, or the field is left out).' })),
      }),
      response: { 200: Type.Object({ data: Type.Array(ListedConversation), nextCursor: Nullable(Type.String()) }) },
    },
  }, async (request) => {
    const { myTeams, q: text, include, ...q } = request.query;
    const p = principal(request);
    const limit = q.limit ?? 50;
    // Names are read only when asked for and allowed; only a page that shows them is a read to record.
    const withContacts = include === 'contact' && holds(p, PERSONAL_DATA);
    const matching = text === undefined || text.trim() === '' ? undefined : conversationsMatching(ctx.db, ctx.keyring, p.workspaceId, text);
    if (matching === null) {
      request.audit(false);
      return { data: [], nextCursor: null };
    }
    let teamIds: string[] | undefined;
    if (myTeams) {
      if (p.actor.type !== 'user') throw new ParleyError('CONVERSATION_FILTER_NEEDS_PERSON', { field: '/myTeams' });
      teamIds = await teamIdsOfUser(ctx.db, p.actor.id);
    }
    const rows = await listConversations(ctx.db, p.workspaceId, { ...q, matching, teamIds, teams: teamFilter(p), limit });
    const nextCursor = rows.length === limit ? rows[rows.length - 1]!.id : null;
    if (!withContacts || rows.length === 0) {
      request.audit(false);
      return { data: rows.map(presentConversation), nextCursor };
    }
    const contactIds = [...new Set(rows.map((c) => c.contactId))];
    const cards = await ports.contactCards(ctx, { workspaceId: p.workspaceId, contactIds });
    // One entry per page, as the contacts list records its pages: the resource is the conversations list, `shown` the contacts whose names it carried.
    request.audit({ resource: { type: 'conversation', id: null }, diff: { shown: { to: { count: contactIds.length, ids: contactIds } } } });
    return { data: rows.map((c) => ({ ...presentConversation(c), contact: cards.get(c.contactId) ?? { name: null, phone: null } })), nextCursor };
  });

  app.get('/v1/conversations/:id', {
    config: { permission: 'conversations.read' },
    schema: { tags, summary: 'One conversation.', security, params: IdParams, response: { 200: ConversationView } },
  }, async (request) => {
    const c = await visibleConversation(ctx, principal(request), request.params.id);
    return presentConversation(c);
  });

  app.get('/v1/conversations/:id/events', {
    config: { permission: 'conversations.read' },
    schema: {
      tags,
      summary: 'A conversation\'s history: every transition and message, with actor and reason, in order.',
      security,
      params: IdParams,
      querystring: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 200 })) }),
      response: { 200: Type.Object({ data: Type.Array(ConversationEventView) }) },
    },
  }, async (request) => {
    const c = await visibleConversation(ctx, principal(request), request.params.id);
    const events = await conversationEvents(ctx.db, c.workspaceId, c.id, request.query.after ?? 0, request.query.limit ?? 200);
    return { data: events.map(presentEvent) };
  });

  const NoBody = Type.Object({});
  const post = <B extends TObject>(
    path: string,
    opts: { summary: string; permission: 'conversations.reply' | 'conversations.assign'; audit: string; body: B },
    command: (request: FastifyRequest<{ Params: { id: string } }>, body: Static<B>) => ConversationCommand,
  ) =>
    app.post(`/v1/conversations/:id/${path}`, {
      config: { permission: opts.permission, audit: opts.audit },
      schema: { tags, summary: opts.summary, security, params: IdParams, ...(opts.body === NoBody ? {} : { body: opts.body }), response: { 200: Changed } },
    }, async (request) => {
      const req = request as unknown as FastifyRequest<{ Params: { id: string } }>;
      return change(req, () => command(req, (request.body ?? {}) as Static<B>));
    });

  post('take', {
    summary: 'Take the conversation for yourself (a signed-in person). Refused when another user owns it, unless `takeOver` (needs `conversations.assign`).',
    permission: 'conversations.reply',
    audit: 'conversation.taken',
    body: Type.Object({ takeOver: Type.Optional(Type.Boolean({ default: false })) }),
  }, (request, body) => {
    const takeOver = body.takeOver === true;
    if (takeOver && !holds(principal(request), 'conversations.assign')) throw new ParleyError('PERMISSION_MISSING', { details: { requiredPermission: 'conversations.assign' } });
    return { type: 'take', userId: selfUser(request), takeOver };
  });
  post('assign', { summary: 'Give the conversation to a user.', permission: 'conversations.assign', audit: 'conversation.assigned', body: Type.Object({ userId: Id }) }, (_, body) => ({ type: 'assign', userId: body.userId }));
  post('release', { summary: 'Give the conversation back to its team\'s queue.', permission: 'conversations.reply', audit: 'conversation.released', body: NoBody }, () => ({ type: 'release' }));
  post('transfer', {
    summary: 'Move the conversation to another team (its queue) or straight to a user.',
    permission: 'conversations.assign',
    audit: 'conversation.transferred',
    body: Type.Object({ teamId: Type.Optional(Id), userId: Type.Optional(Id) }),
  }, (_, body) => ({ type: 'transfer', teamId: body.teamId ?? null, userId: body.userId ?? null }));
  post('escalate', {
    summary: 'Escalate the conversation to a team or a supervisor, with the reason.',
    permission: 'conversations.reply',
    audit: 'conversation.escalated',
    body: Type.Object({ reason: Reason, teamId: Type.Optional(Id) }),
  }, (_, body) => ({ type: 'escalate', reason: body.reason, teamId: body.teamId ?? null }));
  post('snooze', {
    summary: 'Set the conversation aside until a time, or (no `until`) until the customer writes again.',
    permission: 'conversations.reply',
    audit: 'conversation.snoozed',
    body: Type.Object({ until: Type.Optional(Timestamp()) }),
  }, (_, body) => ({ type: 'snooze', until: body.until ? Date.parse(body.until) : null }));
  post('resolve', { summary: 'Resolve the conversation: the cycle ends; a customer message within the reopen period starts the next.', permission: 'conversations.reply', audit: 'conversation.resolved', body: NoBody }, () => ({ type: 'resolve' }));
  post('reopen', { summary: 'Reopen a resolved conversation as a new cycle.', permission: 'conversations.reply', audit: 'conversation.reopened', body: NoBody }, () => ({ type: 'reopen' }));
};

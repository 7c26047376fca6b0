import type { Principal } from '../access/principal.js';
import { holds } from '../access/principal.js';
import { seesTeam } from '../access/team-scope.js';
import { getUser } from '../access/users/user-queries.js';
import { ParleyError } from '../errors/parley-error.js';
import { iso } from '../http/schemas.js';
import type { ParleyContext } from '../runtime/context.js';
import { newId } from '../shared/ids.js';
import { renderCanned } from './canned-reply.js';
import { findCannedReply } from './canned-store.js';
import { causeSeen, getConversation, lockConversation, type StoredConversation } from './conversation-store.js';
import { principalActor } from './conversation-view.js';
import type { ConversationMessage, ConversationPeer, ConversationPorts } from './ports.js';
import { closedWindow, replyRefusal, type Replier } from './reply-rules.js';
import { transition } from './state-machine.js';
import { afterCommit, record, type Changed } from './transitions.js';
import { readWindow } from './window-queries.js';

/** What a person or a key replies: a message in the send API's shape, or a canned reply by its shortcut. */
export type ReplyContent = { kind: 'message'; message: ConversationMessage } | { kind: 'canned'; shortcut: string; variables: Record<string, string> };

export interface ReplyInput {
  principal: Principal;
  conversationId: string;
  content: ReplyContent;
  /** The caller's Idempotency-Key: the same key and reply answer once. Without one, every request is a new reply. */
  idempotencyKey?: string;
}

/** The conversation a principal may see (another workspace's or team's answers not found). */
export async function visibleConversation(ctx: ParleyContext, principal: Principal, id: string): Promise<StoredConversation> {
  const c = await getConversation(ctx.db, principal.workspaceId, id);
  if (!c || !seesTeam(principal, c.teamId)) throw new ParleyError('CONVERSATION_NOT_FOUND');
  return c;
}

const replierOf = (p: Principal): Replier => (p.actor.type === 'user' ? { kind: 'user', userId: p.actor.id, mayAssign: holds(p, 'conversations.assign') } : { kind: 'key' });

/**
 * A reply into a conversation (`reply-rules.ts` says who may and when a template is needed): refused
 * before anything is sent when the window is closed and the reply is not a template, with the
 * templates the contact can be sent; otherwise accepted by the outbound module like any message (its
 * gates still apply; a refusal is a 422 with the gate's code) and recorded in the conversation as an
 * outbound message, a person's public reply when a person sent it (which sets the cycle's first
 * response and clears what was waiting). A replay of the same Idempotency-Key records nothing twice.
 *
 * Who may reply is checked before the send and not again with the row locked: a take-over that lands
 * in between lets the reply go out (it was allowed when asked) and is recorded after it.
 */
export async function replyInConversation(ctx: ParleyContext, ports: Pick<ConversationPorts, 'send' | 'usableTemplates' | 'peer'>, input: ReplyInput): Promise<{ messageId: string; replayed: boolean; changed: Changed }> {
  const p = input.principal;
  const c = await visibleConversation(ctx, p, input.conversationId);
  const refusal = replyRefusal(c, replierOf(p));
  if (refusal) throw new ParleyError(refusal.code, { message: refusal.message, details: refusal.details });
  const peer = await ports.peer(ctx, { workspaceId: c.workspaceId, senderId: c.senderId, contactId: c.contactId });
  if (!peer) throw new ParleyError('SENDER_UNAVAILABLE', { message: 'The conversation\'s sender or contact no longer exists.' });
  const message = input.content.kind === 'message' ? input.content.message : await cannedMessage(ctx, p, c, peer, input.content);

  const now = ctx.clock.now();
  const closed = closedWindow({ boundByWindow: peer.boundByWindow, lastInboundAt: await readWindow(ctx.db, c.senderId, c.contactId), now, type: message.type });
  if (closed) {
    const templates = await ports.usableTemplates(ctx, { workspaceId: c.workspaceId, senderId: c.senderId, language: peer.contactLanguage });
    throw new ParleyError('CONVERSATION_WINDOW_CLOSED', { details: { windowClosedAt: closed.closedAt === null ? null : iso(closed.closedAt), language: peer.contactLanguage, templates } });
  }

  const author = principalActor(p);
  const result = await ports.send(ctx, {
    workspaceId: c.workspaceId,
    senderId: c.senderId,
    contactId: c.contactId,
    message,
    lane: 'conversation',
    // Scoped to the conversation, so a key reused from `POST /v1/messages` is not this reply's.
    idempotencyKey: `conversation:${c.id}:${input.idempotencyKey ?? newId('rpl', now)}`,
    metadata: { conversationId: c.id, cycle: c.cycle, author },
  });
  if (result.outcome === 'refused') throw new ParleyError('MESSAGE_REFUSED', { message: result.reason, details: { code: result.code, reason: result.reason, messageId: result.messageId } });

  const human = p.actor.type === 'user';
  const { changed, queued } = await ctx.db.transaction().execute(async (trx) => {
    const before = await lockConversation(trx, ctx.store.dialect, c.workspaceId, c.id);
    if (!before) throw new ParleyError('CONVERSATION_NOT_FOUND');
    if (await causeSeen(trx, c.id, 'conversation.message_out', result.messageId)) return { changed: { conversation: before, events: [] }, queued: [] };
    const moved = transition(before, { type: 'outbound', messageId: result.messageId, human }, ctx.clock.now());
    if (!moved.ok) throw new ParleyError(moved.code, { message: moved.message });
    return record(ctx, trx, before, moved.next, moved.changes, author, ctx.clock.now(), result.messageId);
  });
  await afterCommit(ctx, c.workspaceId, queued);
  return { messageId: result.messageId, replayed: result.replayed, changed };
}

/** A canned reply rendered as a text message: Parley's variables, then the caller's. */
async function cannedMessage(ctx: ParleyContext, p: Principal, c: StoredConversation, peer: ConversationPeer, content: Extract<ReplyContent, { kind: 'canned' }>): Promise<ConversationMessage> {
  const canned = await findCannedReply(ctx.db, c.workspaceId, content.shortcut);
  if (!canned) throw new ParleyError('CANNED_REPLY_NOT_FOUND', { field: '/canned' });
  const agent = p.actor.type === 'user' ? await getUser(ctx.db, ctx.keyring, c.workspaceId, p.actor.id) : undefined;
  const rendered = renderCanned(canned.text, { 'contact.name': peer.contactName, 'agent.name': agent?.name ?? null, 'conversation.id': c.id, ...content.variables });
  if (!rendered.ok) throw new ParleyError('CANNED_REPLY_VARIABLE_MISSING', { details: { variables: rendered.missing } });
  return { type: 'text', text: { body: rendered.text } };
}

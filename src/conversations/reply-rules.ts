import { isWindowOpen, windowClosesAt } from './service-window.js';
import type { Owner } from './state-machine.js';

/**
 * Who may reply into a conversation, and whether a reply needs a template. Pure; `reply.ts` loads the
 * facts and acts.
 *
 * - The owner answers. A person who does not own it needs `conversations.assign` (a supervisor
 *   stepping in); otherwise they take it first (`POST /take`). An API key (an integration, a bot of
 *   the business's own) may reply whoever owns it; its replies are not a person's (`human: false`).
 * - When the bot owns the conversation no person replies, whatever their permissions: the bot and a
 *   person never both answer. Take it over first.
 * - A conversation that has ended (no longer the contact's current one) takes no reply: the
 *   contact's current conversation with the sender does.
 */
export type Replier = { kind: 'user'; userId: string; mayAssign: boolean } | { kind: 'key' };

export type ReplyRefusal = { code: 'CONVERSATION_BOT_OWNED' | 'CONVERSATION_NOT_YOURS' | 'CONVERSATION_STATE_CONFLICT'; message: string; details: Record<string, unknown> };

export function replyRefusal(c: { owner: Owner; current: boolean }, replier: Replier): ReplyRefusal | null {
  if (!c.current) return { code: 'CONVERSATION_STATE_CONFLICT', message: 'This conversation has ended; reply in the contact\'s current conversation with the sender.', details: { current: false } };
  if (replier.kind === 'key') return null;
  if (c.owner.type === 'bot') return { code: 'CONVERSATION_BOT_OWNED', message: 'The bot owns this conversation: take it over before replying.', details: { owner: 'bot' } };
  if (c.owner.type === 'user' && c.owner.userId === replier.userId) return null;
  if (replier.mayAssign) return null;
  return {
    code: 'CONVERSATION_NOT_YOURS',
    message: c.owner.type === 'user' ? 'Another user owns this conversation.' : 'Nobody owns this conversation: take it before replying.',
    details: { owner: c.owner.type, ownerUserId: c.owner.type === 'user' ? c.owner.userId : null },
  };
}

/**
 * Whether a reply of `type` must wait for a template: the sender's channel is bound by the service
 * window, the window is closed, and the reply is not a template. Returns when the window closed
 * (null: the customer never wrote to this sender), or undefined when the reply may go.
 */
export function closedWindow(input: { boundByWindow: boolean; lastInboundAt: number | null; now: number; type: string }): { closedAt: number | null } | undefined {
  if (!input.boundByWindow || input.type === 'template' || isWindowOpen(input.lastInboundAt, input.now)) return undefined;
  return { closedAt: input.lastInboundAt === null ? null : windowClosesAt(input.lastInboundAt) };
}

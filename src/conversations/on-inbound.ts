import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { DomainEvent } from '../domain-events/events.js';
import type { DomainEventHandler } from '../runtime/context.js';
import type { QueuedDomainEvent } from '../domain-events/bus.js';
import { isUniqueViolation } from '../db/errors.js';
import { cachedWorkspace } from '../workspaces/workspace-facts.js';
import { newId } from '../shared/ids.js';
import { appendEvents, causeSeen, endConversation, insertConversation, lockCurrent, type StoredConversation } from './conversation-store.js';
import { conversationRules } from './conversation-rules.js';
import { afterCommit, changedEvents, record, type Changed } from './transitions.js';
import { openConversation, reopensWithin, transition, type ConversationChange } from './state-machine.js';
import type { ParleyContext } from '../runtime/context.js';
import { senderTeam } from './assignment/policy-queries.js';

/** Something that reacts to conversations a customer message opened or moved (the bot, the assignment engine), with the message. */
export type AfterInbound = (ctx: ParleyContext, changed: Changed, event: InboundEvent) => Promise<void>;

/**
 * A customer message that belongs to what a resolved cycle left open (the answer to its survey, a
 * comment after it): claimed, it attaches to the resolved conversation without reopening it.
 * Prepared before the attach transaction (sealing runs outside transactions); `apply` runs inside it,
 * with the conversation locked, and returns the changes to record beside the message, or null when
 * the claim no longer holds (then the message is handled as any other).
 */
export interface InboundClaim {
  conversationId: string;
  cycle: number;
  apply(trx: Transaction<Database>, now: number): Promise<ConversationChange[] | null>;
}

/** Whether the message is claimed by something of the resolved conversation it would reopen. */
export type ClaimInbound = (ctx: ParleyContext, event: InboundEvent, resolved: StoredConversation, settings: Record<string, unknown>) => Promise<InboundClaim | null>;

export type InboundEvent = Extract<DomainEvent, { type: 'message.inbound' }>;

/**
 * A customer wrote: the message joins the contact's current conversation with the sender, which it
 * opens when there is none, reopens as a new cycle when it was resolved within the reopen period, or
 * wakes when it was snoozed. A resolved conversation past its reopen period stops being current and a
 * new one opens. Runs after the message's commit, at least once: a message already recorded (its id
 * is the event's cause) changes nothing. A message `claimInbound` claims (a survey's answer) joins the
 * resolved conversation and leaves it resolved.
 */
export function onInbound(afterInbound: readonly AfterInbound[], claimInbound?: ClaimInbound): DomainEventHandler<'message.inbound'> {
  return async (ctx, event) => {
    if (!event.contactId) return;
    const contactId = event.contactId;
    const workspace = await cachedWorkspace(ctx, event.workspaceId);
    if (!workspace) return;
    const rules = conversationRules(workspace.settings);
    const now = ctx.clock.now();
    // Whether something claims the message is asked only when its conversation is resolved and would
    // reopen (rare): the attach finds that out, gives up without writing, and runs again with the claim.
    let claim: InboundClaim | null | undefined = claimInbound ? undefined : null;
    const attach = () => ctx.db.transaction().execute(async (trx): Promise<{ changed: Changed; queued: QueuedDomainEvent[] } | { claimable: StoredConversation } | null> => {
      let current: StoredConversation | undefined = await lockCurrent(trx, ctx.store.dialect, event.senderId, contactId);
      if (current && claim === undefined && current.state === 'resolved' && reopensWithin(current, event.receivedAt, rules)) return { claimable: current };
      if (current && !reopensWithin(current, event.receivedAt, rules)) {
        await endConversation(trx, current.id, now);
        current = undefined;
      }
      if (!current) {
        // A new conversation goes to the team of its sender's policy (none: it waits for an admin or a key to route it).
        const teamId = await senderTeam(trx, event.workspaceId, event.senderId);
        const opened = openConversation(event.receivedAt, teamId);
        const stored = await insertConversation(trx, { id: newId('cnv', now), workspaceId: event.workspaceId, senderId: event.senderId, contactId, conversation: opened.conversation }, now);
        const message = { type: 'conversation.message_in' as const, data: { messageId: event.messageId } };
        const events = await appendEvents(trx, event.workspaceId, [
          { conversationId: stored.id, teamId, cycle: 1, actor: 'contact', change: opened.change, at: now },
          { conversationId: stored.id, teamId, cycle: 1, actor: 'contact', change: message, cause: event.messageId, at: now },
        ]);
        return { changed: { conversation: stored, events }, queued: await ctx.domainEvents.publish(trx, changedEvents(stored, events), now) };
      }
      if (await causeSeen(trx, current.id, 'conversation.message_in', event.messageId)) return null;
      if (claim && current.id === claim.conversationId && current.cycle === claim.cycle && current.state === 'resolved') {
        const changes = await claim.apply(trx, now);
        if (changes) {
          const next = { ...current, lastInboundAt: Math.max(current.lastInboundAt ?? 0, event.receivedAt) };
          const message = { type: 'conversation.message_in' as const, data: { messageId: event.messageId } };
          return record(ctx, trx, current, next, [message, ...changes], 'contact', now, event.messageId);
        }
      }
      const moved = transition(current, { type: 'inbound', at: event.receivedAt, messageId: event.messageId }, now);
      if (!moved.ok) return null;
      return record(ctx, trx, current, moved.next, moved.changes, 'contact', now, event.messageId);
    });
    // Two messages of a new contact processed at once both find no conversation; one insert wins the
    // current key and the other attaches on its second try.
    const attachOnce = () => attach().catch((error: unknown) => (isUniqueViolation(error) ? attach() : Promise.reject(error)));
    let result = await attachOnce();
    if (result && 'claimable' in result) {
      claim = await claimInbound!(ctx, event, result.claimable, workspace.settings);
      result = await attachOnce();
    }
    if (!result || 'claimable' in result) return;
    await afterCommit(ctx, event.workspaceId, result.queued);
    for (const react of afterInbound) await react(ctx, result.changed, event);
  };
}

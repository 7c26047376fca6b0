import type { DomainEventHandler } from '../runtime/context.js';
import type { QueuedDomainEvent } from '../domain-events/bus.js';
import { isUniqueViolation } from '../db/errors.js';
import { getWorkspace } from '../workspaces/workspace-queries.js';
import { newId } from '../shared/ids.js';
import { appendEvents, causeSeen, endConversation, insertConversation, lockCurrent, type StoredConversation } from './conversation-store.js';
import { conversationRules } from './conversation-rules.js';
import { changedEvents, record, type Changed } from './transitions.js';
import { openConversation, reopensWithin, transition } from './state-machine.js';
import type { ParleyContext } from '../runtime/context.js';

/** Something that reacts to conversations a customer message opened or moved (the assignment engine). */
export type AfterInbound = (ctx: ParleyContext, changed: Changed) => Promise<void>;

/**
 * A customer wrote: the message joins the contact's current conversation with the sender, which it
 * opens when there is none, reopens as a new cycle when it was resolved within the reopen period, or
 * wakes when it was snoozed. A resolved conversation past its reopen period stops being current and a
 * new one opens. Runs after the message's commit, at least once: a message already recorded (its id
 * is the event's cause) changes nothing.
 */
export function onInbound(afterInbound: readonly AfterInbound[]): DomainEventHandler<'message.inbound'> {
  return async (ctx, event) => {
    if (!event.contactId) return;
    const contactId = event.contactId;
    const workspace = await getWorkspace(ctx.db, event.workspaceId);
    if (!workspace) return;
    const rules = conversationRules(workspace.settings);
    const now = ctx.clock.now();
    const attach = () => ctx.db.transaction().execute(async (trx): Promise<{ changed: Changed; queued: QueuedDomainEvent[] } | null> => {
      let current: StoredConversation | undefined = await lockCurrent(trx, ctx.store.dialect, event.senderId, contactId);
      if (current && !reopensWithin(current, event.receivedAt, rules)) {
        await endConversation(trx, current.id, now);
        current = undefined;
      }
      if (!current) {
        const opened = openConversation(event.receivedAt, null);
        const stored = await insertConversation(trx, { id: newId('cnv', now), workspaceId: event.workspaceId, senderId: event.senderId, contactId, conversation: opened.conversation }, now);
        const message = { type: 'conversation.message_in' as const, data: { messageId: event.messageId } };
        const events = await appendEvents(trx, event.workspaceId, [
          { conversationId: stored.id, teamId: null, cycle: 1, actor: 'contact', change: opened.change, at: now },
          { conversationId: stored.id, teamId: null, cycle: 1, actor: 'contact', change: message, cause: event.messageId, at: now },
        ]);
        return { changed: { conversation: stored, events }, queued: await ctx.domainEvents.publish(trx, changedEvents(stored, events), now) };
      }
      if (await causeSeen(trx, current.id, 'conversation.message_in', event.messageId)) return null;
      const moved = transition(current, { type: 'inbound', at: event.receivedAt, messageId: event.messageId }, now);
      if (!moved.ok) return null;
      return record(ctx, trx, current, moved.next, moved.changes, 'contact', now, event.messageId);
    });
    // Two messages of a new contact processed at once both find no conversation; one insert wins the
    // current key and the other attaches on its second try.
    const result = await attach().catch((error: unknown) => (isUniqueViolation(error) ? attach() : Promise.reject(error)));
    if (!result) return;
    // The live stream of this thread reads at once (a plain in-process signal: a handler of
    // `conversation.changed` would queue every event durably for nothing).
    ctx.signals.conversationChanged(event.workspaceId);
    await ctx.domainEvents.handleQueued(ctx, result.queued);
    for (const react of afterInbound) await react(ctx, result.changed);
  };
}

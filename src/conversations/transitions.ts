import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { DomainEvent } from '../domain-events/events.js';
import type { QueuedDomainEvent } from '../domain-events/bus.js';
import { ParleyError } from '../errors/parley-error.js';
import type { ParleyContext } from '../runtime/context.js';
import { appendEvents, lockConversation, saveConversation, type ConversationEvent, type NewConversationEvent, type StoredConversation } from './conversation-store.js';
import { transition, type Conversation, type ConversationActor, type ConversationChange, type ConversationCommand } from './state-machine.js';

/** What a change left behind: the conversation after it and the events recorded. */
export interface Changed {
  conversation: StoredConversation;
  events: ConversationEvent[];
}

/** A `conversation.changed` event that resolved a cycle: what the after-commit handlers of resolutions want. */
export const resolution = (event: Extract<DomainEvent, { type: 'conversation.changed' }>): boolean => event.event === 'conversation.resolved';

/** The domain events announcing recorded conversation events (one per event, with the state after it). */
export function changedEvents(conversation: StoredConversation, events: readonly ConversationEvent[]): DomainEvent[] {
  return events.map((e) => ({
    type: 'conversation.changed',
    workspaceId: conversation.workspaceId,
    conversationId: conversation.id,
    senderId: conversation.senderId,
    contactId: conversation.contactId,
    seq: e.seq,
    event: e.type,
    actor: e.actor,
    reason: e.reason,
    teamId: e.teamId,
    cycle: e.cycle,
    state: conversation.state,
    ownerType: conversation.owner.type,
    ownerUserId: conversation.owner.type === 'user' ? conversation.owner.userId : null,
    data: e.data,
    at: e.at,
  }));
}

/**
 * Records the machine's result inside the caller's transaction: the row (version bumped), the events
 * in the workspace's sequence, and the `conversation.changed` domain events. Returns the queued
 * domain events, for the transaction's owner to hand over after the commit.
 */
export async function record(
  ctx: ParleyContext,
  trx: Transaction<Database>,
  before: StoredConversation,
  next: Conversation,
  changes: readonly ConversationChange[],
  actor: ConversationActor,
  now: number,
  cause?: string,
): Promise<{ changed: Changed; queued: QueuedDomainEvent[] }> {
  return recordSteps(ctx, trx, before, [{ next, changes, ...(cause !== undefined ? { cause } : {}) }], actor, now);
}

/** One transition of several recorded together: the conversation after it, its changes and their cause. */
export interface RecordedStep {
  next: Conversation;
  changes: readonly ConversationChange[];
  cause?: string;
}

/**
 * `record` for transitions applied one after the other (each step's `next` is the state the following
 * step started from): the row is written once, with the last state, and every step's events are
 * appended together. Their domain events carry the state after the last step.
 */
export async function recordSteps(
  ctx: ParleyContext,
  trx: Transaction<Database>,
  before: StoredConversation,
  steps: readonly RecordedStep[],
  actor: ConversationActor,
  now: number,
): Promise<{ changed: Changed; queued: QueuedDomainEvent[] }> {
  const pending: NewConversationEvent[] = steps.flatMap((step) =>
    step.changes.map((change) => ({ conversationId: before.id, teamId: step.next.teamId, cycle: step.next.cycle, actor, change, at: now, ...(step.cause !== undefined ? { cause: step.cause } : {}) })),
  );
  const last = steps.at(-1);
  if (!last || pending.length === 0) return { changed: { conversation: before, events: [] }, queued: [] };
  const after: StoredConversation = { ...before, ...last.next, lastActivityAt: now, version: before.version + 1, updatedAt: now };
  await saveConversation(trx, before, last.next, now);
  const events = await appendEvents(trx, before.workspaceId, pending);
  const queued = await ctx.domainEvents.publish(trx, changedEvents(after, events), now);
  return { changed: { conversation: after, events }, queued };
}

/**
 * After a transaction that recorded conversation events committed: the live stream of this process
 * reads at once (a plain in-process signal; a handler of `conversation.changed` would queue every
 * event durably for nothing, and other processes' streams poll), then the after-commit handlers run.
 */
export async function afterCommit(ctx: ParleyContext, workspaceId: string, queued: readonly QueuedDomainEvent[]): Promise<void> {
  ctx.signals.conversationChanged(workspaceId);
  await ctx.domainEvents.handleQueued(ctx, queued);
}

/**
 * Applies one command to a conversation of the workspace, in its own transaction with the row locked:
 * two people taking the same conversation at once are served one after the other, and the second
 * sees the first's owner (`CONVERSATION_TAKEN`). Throws `CONVERSATION_NOT_FOUND` for an id of another
 * workspace, and the machine's refusal as a 409.
 *
 * `visible` lets the caller hide a conversation it may not see (another team's) as not found.
 */
export async function changeConversation(
  ctx: ParleyContext,
  input: { workspaceId: string; conversationId: string; command: ConversationCommand; actor: ConversationActor; visible?: (c: StoredConversation) => boolean },
): Promise<Changed> {
  const now = ctx.clock.now();
  const { changed, queued } = await ctx.db.transaction().execute(async (trx) => {
    const before = await lockConversation(trx, ctx.store.dialect, input.workspaceId, input.conversationId);
    if (!before || (input.visible && !input.visible(before))) throw new ParleyError('CONVERSATION_NOT_FOUND');
    const result = transition(before, input.command, now);
    if (!result.ok) throw new ParleyError(result.code, { message: result.message, ...(result.details ? { details: result.details } : {}) });
    return record(ctx, trx, before, result.next, result.changes, input.actor, now);
  });
  await afterCommit(ctx, input.workspaceId, queued);
  return changed;
}

/**
 * Records events that change none of the state machine's fields (a note, labels) on a conversation of
 * the workspace, in one transaction with the row locked: `write` stores what the events are about in
 * the same transaction and returns the events. The row's version and last activity move like on any
 * change. Throws `CONVERSATION_NOT_FOUND` as `changeConversation` does.
 */
export async function annotateConversation(
  ctx: ParleyContext,
  input: { workspaceId: string; conversationId: string; actor: ConversationActor; visible?: (c: StoredConversation) => boolean },
  write: (trx: Transaction<Database>, conversation: StoredConversation, now: number) => Promise<ConversationChange[]>,
): Promise<Changed> {
  const now = ctx.clock.now();
  const { changed, queued } = await ctx.db.transaction().execute(async (trx) => {
    const before = await lockConversation(trx, ctx.store.dialect, input.workspaceId, input.conversationId);
    if (!before || (input.visible && !input.visible(before))) throw new ParleyError('CONVERSATION_NOT_FOUND');
    const changes = await write(trx, before, now);
    return record(ctx, trx, before, before, changes, input.actor, now);
  });
  await afterCommit(ctx, input.workspaceId, queued);
  return changed;
}

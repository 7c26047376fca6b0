/**
 * The conversation state machine, pure: a conversation's state and a command give the next state and
 * the events that record the change, or a refusal. No clock, no I/O: the caller passes `now` and the
 * workspace's rules, loads the row and writes the result (`transitions.ts`).
 *
 * States (the seed's): `pending` (waiting for the bot or for a person to take it), `active` (an owner
 * is handling it), `escalated` (handed to a team or a supervisor, with the reason), `snoozed` (set aside
 * until a time or the customer's next message), `resolved`. The owner is who answers: the bot, a user,
 * or nobody; the bot and a person never both own a conversation, and every sender of replies reads it.
 */

export const CONVERSATION_STATES = ['pending', 'active', 'escalated', 'snoozed', 'resolved'] as const;
export type ConversationState = (typeof CONVERSATION_STATES)[number];

export const OWNER_TYPES = ['bot', 'user', 'nobody'] as const;
export type OwnerType = (typeof OWNER_TYPES)[number];

export type Owner = { type: 'bot' } | { type: 'nobody' } | { type: 'user'; userId: string };

/** Who made a change: a person, an API key, the bot, the customer, or Parley itself. */
export type ConversationActor = `user:${string}` | `key:${string}` | 'bot' | 'contact' | 'system';

/** What the machine reads and writes of a conversation. */
export interface Conversation {
  state: ConversationState;
  owner: Owner;
  teamId: string | null;
  /** The state a snoozed conversation returns to. */
  resumeState: Exclude<ConversationState, 'snoozed' | 'resolved'> | null;
  /** When a snoozed conversation wakes by itself; null: on the customer's next message. */
  snoozedUntil: number | null;
  escalationReason: string | null;
  /** The last person who owned it. */
  lastUserId: string | null;
  cycle: number;
  cycleStartedAt: number;
  humanSince: number | null;
  firstResponseAt: number | null;
  waitingSince: number | null;
  lastInboundAt: number | null;
  resolvedAt: number | null;
}

export type ConversationCommand =
  /** The customer wrote. */
  | { type: 'inbound'; at: number; messageId: string }
  /** A message went to the customer: a person's public reply, or anything else (`by` bot, key, system). */
  | { type: 'outbound'; messageId: string; human: boolean }
  /** Give it to a user (an admin, a supervisor, the assignment engine). */
  | { type: 'assign'; userId: string }
  /** A user takes it for themself: refused when another user owns it, unless `takeOver`. */
  | { type: 'take'; userId: string; takeOver: boolean }
  /** The owner gives it back to the queue. */
  | { type: 'release' }
  /** Move it to another team (back to the queue there) or straight to a user. */
  | { type: 'transfer'; teamId: string | null; userId: string | null }
  | { type: 'escalate'; reason: string; teamId: string | null }
  /** The bot takes the conversation (it answers first), or a person hands it back to the bot (`handBack`). */
  | { type: 'bot_take'; handBack?: boolean }
  /** The bot hands it to people, optionally to a team. */
  | { type: 'handoff'; reason: string; teamId: string | null }
  | { type: 'snooze'; until: number | null }
  /** A snooze's time came. */
  | { type: 'wake' }
  | { type: 'resolve' }
  | { type: 'reopen' };

/** An event recording a change; stored with the conversation's id, the actor and the time. */
export interface ConversationChange {
  type: ConversationEventType;
  reason?: string | null;
  data?: Record<string, unknown>;
}

export const CONVERSATION_EVENT_TYPES = [
  'conversation.opened',
  'conversation.reopened',
  'conversation.message_in',
  'conversation.message_out',
  'conversation.assigned',
  'conversation.released',
  'conversation.transferred',
  'conversation.escalated',
  'conversation.bot_took',
  'conversation.handed_off',
  'conversation.snoozed',
  'conversation.woke',
  'conversation.resolved',
  /** A CSAT or NPS survey was asked after resolution, skipped, or refused (`survey-ask.ts`). */
  'conversation.survey_sent',
  /** The customer's score to the cycle's survey (`survey-replies.ts`); does not reopen the conversation. */
  'conversation.survey_answered',
  /** The customer's comment after the score (stored sealed; the event holds no words). */
  'conversation.survey_commented',
  /** A private note (`data.noteId`; the text is in `conversation_notes`, sealed, never in an event). */
  'conversation.note',
  /** Users were mentioned in a note (`data.userIds`, `data.noteId`). */
  'conversation.mentioned',
  /** The labels changed (`data.labels`, `added`, `removed`). */
  'conversation.labeled',
  // Not transitions: the SLA worker records a target's near breach or breach (`sla-worker.ts`).
  'conversation.sla_near_breach',
  'conversation.sla_breached',
] as const;
export type ConversationEventType = (typeof CONVERSATION_EVENT_TYPES)[number];

export type TransitionResult =
  | { ok: true; next: Conversation; changes: ConversationChange[] }
  | { ok: false; code: 'CONVERSATION_STATE_CONFLICT' | 'CONVERSATION_TAKEN'; message: string; details?: Record<string, unknown> };

export interface ConversationRules {
  /** How long after resolution a customer message reopens the conversation (a new cycle) instead of starting a new one. */
  reopenPeriodMs: number;
}

/** A conversation that has just been opened by a customer message. Owner nobody: the bot or the engine takes it. */
export function openConversation(at: number, teamId: string | null): { conversation: Conversation; change: ConversationChange } {
  return {
    conversation: {
      state: 'pending',
      owner: { type: 'nobody' },
      teamId,
      resumeState: null,
      snoozedUntil: null,
      escalationReason: null,
      lastUserId: null,
      cycle: 1,
      cycleStartedAt: at,
      humanSince: at,
      firstResponseAt: null,
      waitingSince: at,
      lastInboundAt: at,
      resolvedAt: null,
    },
    change: { type: 'conversation.opened', data: { teamId } },
  };
}

/** Whether a customer message at `at` continues this (resolved) conversation rather than starting a new one. */
export function reopensWithin(conversation: Pick<Conversation, 'state' | 'resolvedAt'>, at: number, rules: ConversationRules): boolean {
  return conversation.state !== 'resolved' || (conversation.resolvedAt !== null && at - conversation.resolvedAt < rules.reopenPeriodMs);
}

const conflict = (message: string, details?: Record<string, unknown>): TransitionResult => ({ ok: false, code: 'CONVERSATION_STATE_CONFLICT', message, ...(details ? { details } : {}) });

/** A new resolution cycle from `at`: waiting for the bot or a person again, owner nobody. */
function newCycle(c: Conversation, at: number): Conversation {
  return { ...c, state: 'pending', owner: { type: 'nobody' }, escalationReason: null, resumeState: null, snoozedUntil: null, cycle: c.cycle + 1, cycleStartedAt: at, humanSince: at, firstResponseAt: null, waitingSince: null, resolvedAt: null };
}

const withUser = (c: Conversation, userId: string, now: number): Conversation => ({
  ...c,
  state: 'active',
  owner: { type: 'user', userId },
  lastUserId: userId,
  humanSince: c.owner.type === 'bot' || c.humanSince === null ? now : c.humanSince,
});

/**
 * Applies one command at `now`. Refusals name what stands in the way (`CONVERSATION_STATE_CONFLICT`:
 * not in a state the command applies to; `CONVERSATION_TAKEN`: another user owns it).
 */
export function transition(c: Conversation, command: ConversationCommand, now: number): TransitionResult {
  const ok = (next: Conversation, ...changes: ConversationChange[]): TransitionResult => ({ ok: true, next, changes });
  const open = c.state !== 'resolved';
  switch (command.type) {
    case 'inbound': {
      const message: ConversationChange = { type: 'conversation.message_in', data: { messageId: command.messageId } };
      const seen = { lastInboundAt: Math.max(c.lastInboundAt ?? 0, command.at) };
      if (c.state === 'resolved') {
        const next = { ...newCycle(c, now), ...seen, waitingSince: command.at };
        return ok(next, { type: 'conversation.reopened', reason: 'customer wrote', data: { cycle: next.cycle } }, message);
      }
      const waiting = { ...seen, waitingSince: c.waitingSince ?? command.at };
      if (c.state === 'snoozed') {
        const next = { ...c, ...waiting, state: c.resumeState ?? 'pending', resumeState: null, snoozedUntil: null };
        return ok(next, { type: 'conversation.woke', reason: 'customer wrote', data: { state: next.state } }, message);
      }
      return ok({ ...c, ...waiting }, message);
    }
    case 'outbound': {
      const human = command.human;
      const next = human ? { ...c, waitingSince: null, firstResponseAt: c.firstResponseAt ?? now } : { ...c, waitingSince: c.owner.type === 'bot' ? null : c.waitingSince };
      return ok(next, { type: 'conversation.message_out', data: { messageId: command.messageId, human } });
    }
    case 'assign':
    case 'take': {
      if (!open) return conflict('A resolved conversation cannot be assigned; reopen it first.', { state: c.state });
      if (c.state === 'snoozed') return conflict('A snoozed conversation cannot be assigned; wake it (reopen) or wait for the customer.', { state: c.state });
      if (c.owner.type === 'user' && c.owner.userId === command.userId) return ok(c);
      if (command.type === 'take' && c.owner.type === 'user' && !command.takeOver) {
        return { ok: false, code: 'CONVERSATION_TAKEN', message: 'Another user owns this conversation.', details: { ownerUserId: c.owner.userId } };
      }
      const from = c.owner.type === 'user' ? c.owner.userId : c.owner.type;
      return ok({ ...withUser(c, command.userId, now), escalationReason: null }, { type: 'conversation.assigned', data: { userId: command.userId, from, take: command.type === 'take' } });
    }
    case 'release': {
      if (c.state !== 'active' || c.owner.type !== 'user') return conflict('Only an active conversation a user owns can be released.', { state: c.state, owner: c.owner.type });
      return ok({ ...c, state: 'pending', owner: { type: 'nobody' } }, { type: 'conversation.released', data: { userId: c.owner.userId } });
    }
    case 'transfer': {
      if (!open || c.state === 'snoozed') return conflict('Only an open conversation can be transferred.', { state: c.state });
      if (command.teamId === null && command.userId === null) return conflict('Transfer to a team, a user, or both.');
      const teamId = command.teamId ?? c.teamId;
      const moved = { ...c, teamId, escalationReason: null };
      const next = command.userId !== null ? withUser(moved, command.userId, now) : { ...moved, state: 'pending' as const, owner: { type: 'nobody' } as const };
      return ok(next, { type: 'conversation.transferred', data: { teamId, userId: command.userId, fromTeamId: c.teamId } });
    }
    case 'escalate': {
      if (!open || c.state === 'snoozed') return conflict('Only an open conversation can be escalated.', { state: c.state });
      const teamId = command.teamId ?? c.teamId;
      const next: Conversation = { ...c, state: 'escalated', owner: { type: 'nobody' }, teamId, escalationReason: command.reason, humanSince: c.owner.type === 'bot' ? now : c.humanSince };
      return ok(next, { type: 'conversation.escalated', reason: command.reason, data: { teamId } });
    }
    case 'bot_take': {
      if (!open || c.state === 'snoozed') return conflict('The bot can only take an open conversation.', { state: c.state });
      if (c.owner.type === 'user' && !command.handBack) return { ok: false, code: 'CONVERSATION_TAKEN', message: 'A user owns this conversation: the bot does not answer it.', details: { ownerUserId: c.owner.userId } };
      if (c.owner.type === 'bot') return ok(c);
      // Handed back, the cycle keeps the time people joined it (its figures count their part).
      if (command.handBack) return ok({ ...c, state: 'pending', owner: { type: 'bot' }, escalationReason: null }, { type: 'conversation.bot_took', reason: 'handed back', data: { from: c.owner.type === 'user' ? c.owner.userId : null } });
      return ok({ ...c, state: 'pending', owner: { type: 'bot' }, humanSince: null }, { type: 'conversation.bot_took' });
    }
    case 'handoff': {
      if (c.owner.type !== 'bot') return conflict('Only a conversation the bot owns can be handed off.', { owner: c.owner.type });
      const teamId = command.teamId ?? c.teamId;
      return ok({ ...c, state: 'pending', owner: { type: 'nobody' }, teamId, humanSince: now }, { type: 'conversation.handed_off', reason: command.reason, data: { teamId } });
    }
    case 'snooze': {
      if (c.state === 'resolved' || c.state === 'snoozed') return conflict('Only an open conversation that is not snoozed can be snoozed.', { state: c.state });
      if (command.until !== null && command.until <= now) return conflict('A snooze must end in the future.', { until: command.until });
      return ok({ ...c, state: 'snoozed', resumeState: c.state, snoozedUntil: command.until }, { type: 'conversation.snoozed', data: { until: command.until } });
    }
    case 'wake': {
      if (c.state !== 'snoozed') return conflict('Only a snoozed conversation wakes.', { state: c.state });
      const state = c.resumeState ?? 'pending';
      return ok({ ...c, state, resumeState: null, snoozedUntil: null }, { type: 'conversation.woke', reason: 'snooze ended', data: { state } });
    }
    case 'resolve': {
      if (!open) return conflict('The conversation is already resolved.', { state: c.state });
      const next: Conversation = { ...c, state: 'resolved', owner: { type: 'nobody' }, resumeState: null, snoozedUntil: null, escalationReason: null, waitingSince: null, resolvedAt: now };
      return ok(next, { type: 'conversation.resolved', data: { cycle: c.cycle, cycleStartedAt: c.cycleStartedAt, humanSince: c.humanSince, firstResponseAt: c.firstResponseAt } });
    }
    case 'reopen': {
      if (open) return conflict('Only a resolved conversation can be reopened.', { state: c.state });
      const next = newCycle(c, now);
      return ok(next, { type: 'conversation.reopened', data: { cycle: next.cycle } });
    }
  }
}

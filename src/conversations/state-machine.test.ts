import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOUR, MINUTE } from '../shared/time.js';
import { openConversation, reopensWithin, transition, type Conversation, type ConversationCommand, type TransitionResult } from './state-machine.js';

const T0 = Date.UTC(2026, 5, 1, 9);
const opened = (): Conversation => openConversation(T0, 'team_a').conversation;

function must(result: TransitionResult): Extract<TransitionResult, { ok: true }> {
  if (!result.ok) assert.fail(`refused: ${result.code} ${result.message}`);
  return result;
}
const refused = (result: TransitionResult, code: string) => {
  assert.equal(result.ok, false);
  if (!result.ok) assert.equal(result.code, code);
};
const run = (c: Conversation, ...commands: Array<[ConversationCommand, number]>) => commands.reduce((acc, [cmd, at]) => must(transition(acc, cmd, at)).next, c);
const types = (result: TransitionResult) => must(result).changes.map((c) => c.type);

describe('the conversation state machine', () => {
  it('opens pending, owned by nobody, in its team, cycle 1 started at the customer message, waiting since then', () => {
    const { conversation, change } = openConversation(T0, 'team_a');
    assert.equal(conversation.state, 'pending');
    assert.deepEqual(conversation.owner, { type: 'nobody' });
    assert.equal(conversation.teamId, 'team_a');
    assert.equal(conversation.cycle, 1);
    assert.equal(conversation.cycleStartedAt, T0);
    assert.equal(conversation.waitingSince, T0);
    assert.equal(change.type, 'conversation.opened');
  });

  it('a customer message while open joins the conversation and keeps the oldest unanswered time', () => {
    const r = must(transition(opened(), { type: 'inbound', at: T0 + MINUTE, messageId: 'm2' }, T0 + MINUTE));
    assert.deepEqual(r.changes.map((c) => c.type), ['conversation.message_in']);
    assert.equal(r.next.waitingSince, T0);
    assert.equal(r.next.lastInboundAt, T0 + MINUTE);
  });

  it('assign and take make it active with the user as owner and remember them as the last user', () => {
    for (const cmd of [{ type: 'assign', userId: 'u1' }, { type: 'take', userId: 'u1', takeOver: false }] as const) {
      const r = must(transition(opened(), cmd, T0 + MINUTE));
      assert.equal(r.next.state, 'active');
      assert.deepEqual(r.next.owner, { type: 'user', userId: 'u1' });
      assert.equal(r.next.lastUserId, 'u1');
      assert.deepEqual(types(transition(opened(), cmd, T0)), ['conversation.assigned']);
    }
  });

  it('take is refused when another user owns it, allowed with takeOver; taking one\'s own conversation again changes nothing', () => {
    const mine = run(opened(), [{ type: 'assign', userId: 'u1' }, T0]);
    refused(transition(mine, { type: 'take', userId: 'u2', takeOver: false }, T0), 'CONVERSATION_TAKEN');
    assert.deepEqual(must(transition(mine, { type: 'take', userId: 'u2', takeOver: true }, T0)).next.owner, { type: 'user', userId: 'u2' });
    const again = must(transition(mine, { type: 'take', userId: 'u1', takeOver: false }, T0));
    assert.deepEqual(again.changes, []);
  });

  it('assign, take, transfer and escalate are refused on a resolved or snoozed conversation', () => {
    const resolved = run(opened(), [{ type: 'resolve' }, T0]);
    const snoozed = run(opened(), [{ type: 'snooze', until: null }, T0]);
    for (const c of [resolved, snoozed]) {
      for (const cmd of [{ type: 'assign', userId: 'u1' }, { type: 'take', userId: 'u1', takeOver: true }, { type: 'transfer', teamId: 't2', userId: null }, { type: 'escalate', reason: 'x', teamId: null }, { type: 'snooze', until: null }] as const) {
        refused(transition(c, cmd, T0), 'CONVERSATION_STATE_CONFLICT');
      }
    }
  });

  it('release returns an active conversation to the queue; anything else cannot be released', () => {
    const active = run(opened(), [{ type: 'assign', userId: 'u1' }, T0]);
    const r = must(transition(active, { type: 'release' }, T0));
    assert.equal(r.next.state, 'pending');
    assert.deepEqual(r.next.owner, { type: 'nobody' });
    assert.equal(r.next.lastUserId, 'u1');
    refused(transition(opened(), { type: 'release' }, T0), 'CONVERSATION_STATE_CONFLICT');
  });

  it('transfer to a team puts it in that team\'s queue; to a user makes it theirs; to neither is refused', () => {
    const active = run(opened(), [{ type: 'assign', userId: 'u1' }, T0]);
    const toTeam = must(transition(active, { type: 'transfer', teamId: 'team_b', userId: null }, T0)).next;
    assert.equal(toTeam.teamId, 'team_b');
    assert.equal(toTeam.state, 'pending');
    assert.deepEqual(toTeam.owner, { type: 'nobody' });
    const toUser = must(transition(active, { type: 'transfer', teamId: 'team_b', userId: 'u2' }, T0)).next;
    assert.deepEqual([toUser.teamId, toUser.state, toUser.owner], ['team_b', 'active', { type: 'user', userId: 'u2' }]);
    refused(transition(active, { type: 'transfer', teamId: null, userId: null }, T0), 'CONVERSATION_STATE_CONFLICT');
  });

  it('escalate records the reason, leaves it to nobody, and assigning clears the reason', () => {
    const escalated = must(transition(opened(), { type: 'escalate', reason: 'refund over limit', teamId: 'supervisors' }, T0));
    assert.equal(escalated.next.state, 'escalated');
    assert.equal(escalated.next.escalationReason, 'refund over limit');
    assert.equal(escalated.next.teamId, 'supervisors');
    assert.equal(escalated.changes[0]!.reason, 'refund over limit');
    const taken = must(transition(escalated.next, { type: 'assign', userId: 'sup' }, T0)).next;
    assert.equal(taken.escalationReason, null);
    assert.equal(taken.state, 'active');
  });

  it('the bot takes an unowned conversation, never one a user owns; its hand-off starts the human clock', () => {
    const bot = must(transition(opened(), { type: 'bot_take' }, T0));
    assert.deepEqual(bot.next.owner, { type: 'bot' });
    assert.equal(bot.next.humanSince, null);
    refused(transition(run(opened(), [{ type: 'assign', userId: 'u1' }, T0]), { type: 'bot_take' }, T0), 'CONVERSATION_TAKEN');
    const handed = must(transition(bot.next, { type: 'handoff', reason: 'asked for a person', teamId: 'team_b' }, T0 + 5 * MINUTE));
    assert.deepEqual(handed.next.owner, { type: 'nobody' });
    assert.equal(handed.next.humanSince, T0 + 5 * MINUTE);
    assert.equal(handed.next.teamId, 'team_b');
    refused(transition(opened(), { type: 'handoff', reason: 'x', teamId: null }, T0), 'CONVERSATION_STATE_CONFLICT');
    // A person taking a bot-owned conversation also starts the human clock.
    assert.equal(must(transition(bot.next, { type: 'take', userId: 'u1', takeOver: false }, T0 + HOUR)).next.humanSince, T0 + HOUR);
  });

  it('snooze until a time wakes to the state it had; snooze until the customer writes wakes on their message', () => {
    const active = run(opened(), [{ type: 'assign', userId: 'u1' }, T0]);
    const snoozed = must(transition(active, { type: 'snooze', until: T0 + HOUR }, T0)).next;
    assert.equal(snoozed.state, 'snoozed');
    assert.equal(snoozed.resumeState, 'active');
    const woke = must(transition(snoozed, { type: 'wake' }, T0 + HOUR));
    assert.equal(woke.next.state, 'active');
    assert.equal(woke.next.snoozedUntil, null);
    refused(transition(active, { type: 'snooze', until: T0 - 1 }, T0), 'CONVERSATION_STATE_CONFLICT');
    refused(transition(active, { type: 'wake' }, T0), 'CONVERSATION_STATE_CONFLICT');
    const untilReply = run(active, [{ type: 'snooze', until: null }, T0]);
    const r = must(transition(untilReply, { type: 'inbound', at: T0 + 2 * HOUR, messageId: 'm' }, T0 + 2 * HOUR));
    assert.deepEqual(r.changes.map((c) => c.type), ['conversation.woke', 'conversation.message_in']);
    assert.equal(r.next.state, 'active');
  });

  it('resolve ends the cycle and frees the owner; a customer message then reopens it as the next cycle', () => {
    const active = run(opened(), [{ type: 'assign', userId: 'u1' }, T0], [{ type: 'outbound', messageId: 'o1', human: true }, T0 + MINUTE]);
    const resolved = must(transition(active, { type: 'resolve' }, T0 + HOUR));
    assert.equal(resolved.next.state, 'resolved');
    assert.equal(resolved.next.resolvedAt, T0 + HOUR);
    assert.deepEqual(resolved.next.owner, { type: 'nobody' });
    assert.equal(resolved.changes[0]!.data!.firstResponseAt, T0 + MINUTE);
    refused(transition(resolved.next, { type: 'resolve' }, T0), 'CONVERSATION_STATE_CONFLICT');
    const back = must(transition(resolved.next, { type: 'inbound', at: T0 + 2 * HOUR, messageId: 'm3' }, T0 + 2 * HOUR));
    assert.deepEqual(back.changes.map((c) => c.type), ['conversation.reopened', 'conversation.message_in']);
    assert.equal(back.next.cycle, 2);
    assert.equal(back.next.cycleStartedAt, T0 + 2 * HOUR);
    assert.equal(back.next.firstResponseAt, null);
    assert.equal(back.next.waitingSince, T0 + 2 * HOUR);
    assert.equal(back.next.lastUserId, 'u1', 'the previous agent is remembered for a returning customer');
  });

  it('reopen by hand starts the next cycle; only a resolved conversation can be reopened', () => {
    const resolved = run(opened(), [{ type: 'resolve' }, T0]);
    const r = must(transition(resolved, { type: 'reopen' }, T0 + HOUR));
    assert.equal(r.next.cycle, 2);
    assert.equal(r.next.state, 'pending');
    refused(transition(opened(), { type: 'reopen' }, T0), 'CONVERSATION_STATE_CONFLICT');
  });

  it('a person\'s public reply answers the customer and sets the cycle\'s first response once; other messages do not', () => {
    const first = must(transition(opened(), { type: 'outbound', messageId: 'o1', human: true }, T0 + 5 * MINUTE)).next;
    assert.equal(first.firstResponseAt, T0 + 5 * MINUTE);
    assert.equal(first.waitingSince, null);
    const second = must(transition(first, { type: 'outbound', messageId: 'o2', human: true }, T0 + 9 * MINUTE)).next;
    assert.equal(second.firstResponseAt, T0 + 5 * MINUTE);
    const automated = must(transition(opened(), { type: 'outbound', messageId: 'o3', human: false }, T0 + MINUTE)).next;
    assert.equal(automated.firstResponseAt, null);
    assert.equal(automated.waitingSince, T0, 'a system message does not answer the customer');
  });

  it('a resolved conversation reopens only within the reopen period', () => {
    const rules = { reopenPeriodMs: 48 * HOUR };
    const resolved = run(opened(), [{ type: 'resolve' }, T0]);
    assert.equal(reopensWithin(resolved, T0 + 48 * HOUR - 1, rules), true);
    assert.equal(reopensWithin(resolved, T0 + 48 * HOUR, rules), false);
    assert.equal(reopensWithin(opened(), T0 + 1000 * HOUR, rules), true, 'an open conversation always takes the message');
  });
});

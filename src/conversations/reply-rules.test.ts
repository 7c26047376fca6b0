import { it } from 'node:test';
import assert from 'node:assert/strict';
import { closedWindow, replyRefusal, type Replier } from './reply-rules.js';
import { HOUR } from '../shared/time.js';

const agent = (userId: string, mayAssign = false): Replier => ({ kind: 'user', userId, mayAssign });
const mine = { owner: { type: 'user' as const, userId: 'u1' }, current: true };

it('the owner replies; another agent is refused and told who owns it; a supervisor (conversations.assign) steps in', () => {
  assert.equal(replyRefusal(mine, agent('u1')), null);
  assert.deepEqual(replyRefusal(mine, agent('u2'))?.details, { owner: 'user', ownerUserId: 'u1' });
  assert.equal(replyRefusal(mine, agent('u2'))?.code, 'CONVERSATION_NOT_YOURS');
  assert.equal(replyRefusal(mine, agent('u2', true)), null);
});

it('nobody owns it: an agent takes it first; a supervisor and an API key reply', () => {
  const queued = { owner: { type: 'nobody' as const }, current: true };
  assert.equal(replyRefusal(queued, agent('u1'))?.code, 'CONVERSATION_NOT_YOURS');
  assert.equal(replyRefusal(queued, agent('u1', true)), null);
  assert.equal(replyRefusal(queued, { kind: 'key' }), null);
});

it('the bot owns it: no person replies, not even one who may assign; a key (the bot\'s own integration) may', () => {
  const bot = { owner: { type: 'bot' as const }, current: true };
  assert.equal(replyRefusal(bot, agent('u1'))?.code, 'CONVERSATION_BOT_OWNED');
  assert.equal(replyRefusal(bot, agent('u1', true))?.code, 'CONVERSATION_BOT_OWNED');
  assert.equal(replyRefusal(bot, { kind: 'key' }), null);
});

it('an ended conversation takes no reply from anyone', () => {
  const ended = { ...mine, current: false };
  assert.equal(replyRefusal(ended, agent('u1'))?.code, 'CONVERSATION_STATE_CONFLICT');
  assert.equal(replyRefusal(ended, { kind: 'key' })?.code, 'CONVERSATION_STATE_CONFLICT');
});

it('a closed window holds back everything but a template, and says when it closed', () => {
  const now = 100 * HOUR;
  const at = (lastInboundAt: number | null, type = 'text', boundByWindow = true) => closedWindow({ boundByWindow, lastInboundAt, now, type });
  assert.equal(at(now - 23 * HOUR), undefined, 'open');
  assert.deepEqual(at(now - 25 * HOUR), { closedAt: now - HOUR });
  assert.deepEqual(at(now - 24 * HOUR, 'image'), { closedAt: now }, 'closed at exactly 24 hours');
  assert.equal(at(now - 25 * HOUR, 'template'), undefined, 'a template goes');
  assert.deepEqual(at(null), { closedAt: null }, 'never wrote');
  assert.equal(at(null, 'text', false), undefined, 'a channel without the window');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSubscribable, subscriptionWants } from './event-types.js';

test('a subscription receives the types it names, and every type of a family it takes with a wildcard', () => {
  assert.equal(subscriptionWants(['conversation.assigned'], 'conversation.assigned'), true);
  assert.equal(subscriptionWants(['conversation.assigned'], 'conversation.resolved'), false);
  assert.equal(subscriptionWants(['conversation.*'], 'conversation.resolved'), true);
  assert.equal(subscriptionWants(['conversation.*'], 'message.inbound'), false);
  assert.equal(subscriptionWants(['message.status'], 'message.inbound'), false);
});

test('only known types and known families can be subscribed to', () => {
  assert.equal(isSubscribable('conversation.*'), true);
  assert.equal(isSubscribable('conversation.opened'), true);
  assert.equal(isSubscribable('message.*'), false);
  assert.equal(isSubscribable('*'), false);
  assert.equal(isSubscribable('conversation.anything'), false);
});

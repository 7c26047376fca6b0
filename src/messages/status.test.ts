import { it } from 'node:test';
import assert from 'node:assert/strict';
import { advances, MESSAGE_STATUSES, STATUS_RANK } from './status.js';

it('a late delivered never moves a read message backwards', () => {
  assert.equal(advances('read', 'delivered'), false);
  assert.equal(advances('delivered', 'read'), true);
  assert.equal(advances('sent', 'delivered'), true);
});

it('failed outranks sent but not delivered or read', () => {
  assert.equal(advances('sent', 'failed'), true);
  assert.equal(advances('failed', 'sent'), false);
  assert.equal(advances('delivered', 'failed'), false);
  assert.equal(advances('read', 'failed'), false);
});

it('a status never advances to itself, and every status has a rank', () => {
  for (const s of MESSAGE_STATUSES) {
    assert.equal(typeof STATUS_RANK[s], 'number');
    assert.equal(advances(s, s), false);
  }
});

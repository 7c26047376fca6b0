import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ultramsgQueueStatus } from './queue-status.js';
import { classifyUltraMsgError } from './errors.js';

it('expired → Parley expired (never sent late); invalid and unsent → failed; each with its code', () => {
  const expired = ultramsgQueueStatus('expired', '');
  assert.equal(expired?.status, 'expired');
  assert.equal(expired?.providerStatus, 'expired');
  assert.equal(expired?.errors[0].code, 'ultramsg_expired');
  assert.deepEqual(
    ['invalid', 'unsent'].map((s) => [ultramsgQueueStatus(s, '')?.status, ultramsgQueueStatus(s, '')?.errors[0].code]),
    [
      ['failed', 'ultramsg_number_invalid'],
      ['failed', 'ultramsg_unsent'],
    ],
  );
});

it('queue says nothing new; sent follows its ack (pending says nothing, server sent, device delivered, read and played read)', () => {
  assert.equal(ultramsgQueueStatus('queue', ''), undefined);
  assert.equal(ultramsgQueueStatus('sent', 'pending'), undefined);
  assert.deepEqual(
    ['server', 'device', 'read', 'played'].map((ack) => ultramsgQueueStatus('sent', ack)?.status),
    ['sent', 'delivered', 'read', 'read'],
  );
  assert.equal(ultramsgQueueStatus('sent', '')?.status, 'sent');
  assert.equal(ultramsgQueueStatus('sent', 'weird'), undefined);
  assert.equal(ultramsgQueueStatus('archived', ''), undefined);
});

it('the three codes are permanent for the retry policy: no retry, no resend', () => {
  for (const code of ['ultramsg_expired', 'ultramsg_number_invalid', 'ultramsg_unsent']) {
    const action = classifyUltraMsgError({ code, title: code });
    assert.equal(action.action, 'permanent', code);
    assert.doesNotMatch(action.reason, /Unclassified/);
  }
});

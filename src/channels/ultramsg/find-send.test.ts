import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sendLookupOf } from './find-send.js';

it('a send missing from the list was not got; a listed one carries its ids', () => {
  assert.deepEqual(sendLookupOf(undefined), { found: false });
  const found = sendLookupOf({ id: '4012', waId: 'true_15550081001@c.us_3EB0AA', status: 'queue', ack: '' });
  assert.equal(found.found, true);
  assert.ok(found.found);
  assert.equal(found.providerMessageId, '4012');
  assert.equal(found.altProviderMessageId, 'true_15550081001@c.us_3EB0AA');
});

it('still queued at UltraMsg is accepted and nothing more; sent goes by its ack; given up ends the message (as the queue watch maps them)', () => {
  const status = (listed: Parameters<typeof sendLookupOf>[0]) => {
    const lookup = sendLookupOf(listed);
    return lookup.found ? lookup.status?.status : 'not found';
  };
  assert.equal(status({ id: '1', status: 'queue', ack: '' }), undefined);
  assert.equal(status({ id: '1', status: 'sent', ack: 'pending' }), undefined);
  assert.equal(status({ id: '1', status: 'sent', ack: 'server' }), 'sent');
  assert.equal(status({ id: '1', status: 'sent', ack: 'device' }), 'delivered');
  assert.equal(status({ id: '1', status: 'expired', ack: '' }), 'expired');
  assert.equal(status({ id: '1', status: 'invalid', ack: '' }), 'failed');
  // An entry without a queue state goes by its ack, as the receipt reconciler reads it.
  assert.equal(status({ id: '1', ack: 'read' }), 'read');
  assert.equal(status({ id: '1' }), undefined);
});

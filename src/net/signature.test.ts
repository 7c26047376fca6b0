import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { signEvent, verifyEventSignature } from './signature.js';

it('signs "<t>.<body>" with HMAC-SHA256 in the documented header format', () => {
  const header = signEvent('whsec_test', 1700000000, '{"a":1}');
  const expected = createHmac('sha256', 'whsec_test').update('1700000000.{"a":1}').digest('hex');
  assert.equal(header, `t=1700000000,v1=${expected}`);
});

it('verifies fresh signatures and refuses old, altered or foreign ones', () => {
  const header = signEvent('s', 1000, 'body');
  assert.equal(verifyEventSignature('s', header, 'body', 1100), true);
  assert.equal(verifyEventSignature('s', header, 'body', 2000), false, 'too old');
  assert.equal(verifyEventSignature('s', header, 'bodY', 1000), false, 'altered body');
  assert.equal(verifyEventSignature('other', header, 'body', 1000), false, 'other secret');
});

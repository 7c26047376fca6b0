import { it } from 'node:test';
import assert from 'node:assert/strict';
import { constantTimeEqual, hubSignature, verifyHubSignature } from './signature.js';

const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');

it('accepts a signature made with any of the configured app secrets', () => {
  const secrets = [Buffer.from('first'), Buffer.from('second')];
  assert.equal(verifyHubSignature(body, hubSignature('second', body), secrets), true);
  assert.equal(verifyHubSignature(body, hubSignature('first', body).toUpperCase().replace('SHA256=', 'sha256='), secrets), true);
});

it('refuses a missing, malformed, foreign or body-mismatched signature', () => {
  const secrets = [Buffer.from('first')];
  assert.equal(verifyHubSignature(body, undefined, secrets), false);
  assert.equal(verifyHubSignature(body, 'sha1=abc', secrets), false);
  assert.equal(verifyHubSignature(body, hubSignature('other', body), secrets), false);
  assert.equal(verifyHubSignature(Buffer.concat([body, Buffer.from(' ')]), hubSignature('first', body), secrets), false);
  assert.equal(verifyHubSignature(body, hubSignature('first', body), []), false, 'no secret configured: nothing verifies');
});

it('compares tokens in constant time and exactly', () => {
  assert.equal(constantTimeEqual('token', 'token'), true);
  assert.equal(constantTimeEqual('token', 'token2'), false);
  assert.equal(constantTimeEqual('', 'x'), false);
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { newId } from '../shared/ids.js';
import { signPreferenceToken, verifyPreferenceToken } from './preference-token.js';

describe('preference-centre link tokens', () => {
  const key = randomBytes(32);
  const claims = { workspaceId: newId('ws'), contactId: newId('ct'), expiresAt: 1_900_000_000_000 };

  it('a signed token verifies until it expires', () => {
    const token = signPreferenceToken(key, claims);
    assert.deepEqual(verifyPreferenceToken(key, token, claims.expiresAt - 1), { ok: true, claims });
    assert.deepEqual(verifyPreferenceToken(key, token, claims.expiresAt), { ok: false, reason: 'expired' });
  });

  it('any change to the token, or another key, is tampering', () => {
    const token = signPreferenceToken(key, claims);
    const otherContact = token.replace(claims.contactId.slice(3), newId('ct').slice(3));
    assert.equal((verifyPreferenceToken(key, otherContact, 0) as { reason: string }).reason, 'tampered');
    const later = signPreferenceToken(key, { ...claims, expiresAt: claims.expiresAt + 1 }).split('.');
    const extended = [...token.split('.').slice(0, 3), later[3], token.split('.')[4]].join('.');
    assert.equal((verifyPreferenceToken(key, extended, 0) as { reason: string }).reason, 'tampered');
    assert.equal((verifyPreferenceToken(randomBytes(32), token, 0) as { reason: string }).reason, 'tampered');
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    assert.equal((verifyPreferenceToken(key, flipped, 0) as { reason: string }).reason, 'tampered');
  });

  it('is short enough for a message and a path parameter', () => {
    assert.ok(signPreferenceToken(key, claims).length <= 100);
  });

  it('garbage is malformed', () => {
    for (const bad of ['', 'abc', 'v1.x.y.z.w', `${signPreferenceToken(key, claims)}x`]) assert.equal((verifyPreferenceToken(key, bad, 0) as { reason: string }).reason, 'malformed', bad);
  });
});

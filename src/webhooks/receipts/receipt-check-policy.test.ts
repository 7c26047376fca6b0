import { it } from 'node:test';
import assert from 'node:assert/strict';
import { checkHorizonMs, nextCheckAt } from './receipt-check-policy.js';

it('backs off per send, doubling, and stops looking past the horizon', () => {
  const policy = { afterMs: 60_000, maxChecks: 6 };
  assert.deepEqual([1, 2, 3, 6].map((n) => nextCheckAt(policy, 0, n)), [120_000, 240_000, 480_000, 3_840_000]);
  // The sixth and last look comes about an hour after the send; the horizon lies beyond it.
  const lastLook = [0, 1, 2, 3, 4, 5].reduce((at, n) => (n === 0 ? policy.afterMs : nextCheckAt(policy, at, n)), 0);
  assert.equal(lastLook, 60_000 * (2 ** 6 - 1));
  assert.ok(checkHorizonMs(policy) > lastLook);
});

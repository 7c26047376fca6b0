import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ultramsgMaxRate, ultramsgPacedRate } from './pacing.js';

it('an instance sends one message per sendDelay: 1 s → 1 msg/s, 4 s → 0.25; no delay → no cap; unknown → UltraMsg default 1 s', () => {
  assert.equal(ultramsgMaxRate(1), 1);
  assert.equal(ultramsgMaxRate(4), 0.25);
  assert.equal(ultramsgMaxRate(0), Infinity);
  assert.equal(ultramsgMaxRate(undefined), 1);
});

it("the sender's rate is its mps capped by the instance: never faster than it can send", () => {
  assert.equal(ultramsgPacedRate(10, 1), 1);
  assert.equal(ultramsgPacedRate(10, 5), 0.2);
  assert.equal(ultramsgPacedRate(1, 0), 1);
  assert.equal(ultramsgPacedRate(3, 0.5), 2);
});

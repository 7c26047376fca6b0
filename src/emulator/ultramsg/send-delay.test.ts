import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sendDelayFor } from './send-delay.js';

it('below 10 queued: sendDelay; from 10: a linear ramp reaching sendDelayMax at 19 and staying there', () => {
  assert.deepEqual([1, 5, 9].map((n) => sendDelayFor(n, 1000, 15_000)), [1000, 1000, 1000]);
  assert.deepEqual([10, 11, 14, 18].map((n) => sendDelayFor(n, 1000, 15_000)), [2400, 3800, 8000, 13_600]);
  assert.deepEqual([19, 20, 500].map((n) => sendDelayFor(n, 1000, 15_000)), [15_000, 15_000, 15_000]);
});

it('no delay stays no delay; a maximum below the delay is the delay', () => {
  assert.equal(sendDelayFor(50, 0, 0), 0);
  assert.equal(sendDelayFor(50, 5000, 1000), 5000);
});

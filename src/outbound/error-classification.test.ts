import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, pairDelay } from './error-classification.js';

// What each provider error code calls for is checked per adapter by the channel contract suite (test/channels/contract.test.ts).

describe('backoff', () => {
  it('grows exponentially with jitter between half and the whole ceiling, capped', () => {
    assert.equal(backoffDelay(1, () => 0), 500);
    assert.equal(backoffDelay(1, () => 1), 1000);
    assert.equal(backoffDelay(4, () => 0), 4000);
    assert.equal(backoffDelay(30, () => 1), 300_000);
  });
  it('waits 4^X seconds after repeated pair-limit errors', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 9].map(pairDelay), [1000, 4000, 16000, 64000, 256000, 256000]);
  });
});

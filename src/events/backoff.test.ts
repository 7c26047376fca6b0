import { it } from 'node:test';
import assert from 'node:assert/strict';
import { RETRY_BASE, RETRY_CAP, retryDelay } from './backoff.js';

it('backs off exponentially with jitter between half and all of the step, capped', () => {
  assert.equal(retryDelay(1, 0), RETRY_BASE / 2);
  assert.equal(retryDelay(1, 0.999999), Math.round(RETRY_BASE * 0.9999995));
  assert.equal(retryDelay(3, 0), (RETRY_BASE * 4) / 2);
  assert.ok(retryDelay(4, 0.5) > retryDelay(3, 0.5));
  assert.ok(retryDelay(40, 0.999) <= RETRY_CAP);
  assert.ok(retryDelay(40, 0) >= RETRY_CAP / 2);
});

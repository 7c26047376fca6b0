import { it } from 'node:test';
import assert from 'node:assert/strict';
import { CircuitBreaker } from './circuit-breaker.js';

it('opens after consecutive outage-class failures, allows one probe after the wait, closes when the provider answers', () => {
  const b = new CircuitBreaker({ failureThreshold: 3, probeDelayMs: 1000, maxProbeDelayMs: 4000 });
  assert.equal(b.allowance(0), Number.POSITIVE_INFINITY);
  assert.equal(b.recordOutage(0, 'network'), false);
  assert.equal(b.recordOutage(1, 'network'), false);
  assert.equal(b.recordOutage(2, 'http_503'), true, 'the third trips it');
  assert.equal(b.health(2), 'unreachable');
  assert.equal(b.recordOutage(3, 'network'), true, 'failures of messages already in flight are handed back too');
  assert.equal(b.allowance(500), 0, 'nothing is claimed while open');
  assert.equal(b.allowance(1002), 1, 'one probe once the wait is over');
  b.probeStarted();
  assert.equal(b.state, 'half_open');
  assert.equal(b.allowance(1003), 0, 'one probe at a time');
  assert.equal(b.recordOutage(1004, 'network', true), true, 'the probe failed');
  assert.equal(b.allowance(1004 + 999), 0, 'the next probe waits again');
  assert.equal(b.allowance(1004 + 1000), 1);
  b.probeStarted();
  b.recordOutage(2005, 'network', true);
  assert.equal(b.retryAt, 2005 + 2000, 'the wait doubles per failed probe');
  for (let i = 0; i < 5; i++) {
    const at = b.retryAt;
    b.probeStarted();
    b.recordOutage(at, 'network', true);
    assert.ok(b.retryAt - at <= 4000, 'capped');
  }
  const at = b.retryAt;
  b.probeStarted();
  b.recordOutage(at, 'network', true);
  assert.equal(b.retryAt - at, 4000, 'at the cap');
  b.probeStarted();
  b.recordReachable(b.retryAt + 1);
  assert.equal(b.state, 'closed');
  assert.equal(b.allowance(b.retryAt), Number.POSITIVE_INFINITY);
});

it('a late failure of a message sent before the trip does not end the probe; a probe refused before the provider is retried', () => {
  const b = new CircuitBreaker({ failureThreshold: 1, probeDelayMs: 100 });
  b.recordOutage(0, 'timeout');
  b.probeStarted();
  b.probeSkipped();
  assert.equal(b.allowance(100), 1, 'nothing was sent: probe again');
  b.probeStarted();
  assert.equal(b.recordOutage(150, 'timeout', false), true);
  assert.equal(b.state, 'half_open', 'still waiting for the probe');
  b.recordReachable(160);
  assert.equal(b.state, 'closed');
});

it('reports degraded when a share of recent calls fail, and ok once the window is clean', () => {
  const b = new CircuitBreaker({ failureThreshold: 100, windowMs: 10_000, degradedRate: 0.2, degradedMinFailures: 3, rateMinSamples: 1000 });
  for (let i = 0; i < 10; i++) {
    b.recordReachable(i * 10);
    if (i % 3 === 0) b.recordOutage(i * 10 + 1, 'http_500');
  }
  assert.equal(b.health(200), 'degraded');
  assert.equal(b.state, 'closed', 'still sending');
  assert.equal(b.health(20_000), 'ok', 'the failures left the window');
});

it('opens on the failure rate over the window even without a long run of consecutive failures', () => {
  const b = new CircuitBreaker({ failureThreshold: 100, windowMs: 10_000, tripRate: 0.5, rateMinSamples: 20 });
  let open = false;
  for (let i = 0; i < 40 && !open; i++) {
    if (i % 3 === 0) b.recordReachable(i);
    else open = b.recordOutage(i, 'http_502');
  }
  assert.equal(open, true);
  assert.equal(b.state, 'open');
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from './token-bucket.js';
import { PairPacer, PAIR_INTERVAL } from './pair-pacer.js';

describe('token bucket', () => {
  it('refills at its rate up to its capacity', () => {
    const bucket = new TokenBucket(100, 10, 0, 0);
    assert.equal(bucket.take(0), false);
    assert.equal(bucket.waitMs(0), 10);
    assert.equal(Math.floor(bucket.available(50)), 5);
    assert.equal(bucket.available(10_000), 10);
  });
  it('never hands out more than rate × time + capacity', () => {
    const bucket = new TokenBucket(1000, 50, 0);
    let taken = 0;
    for (let t = 0; t <= 1000; t++) while (bucket.take(t)) taken++;
    assert.ok(taken <= 1050 && taken >= 1040, String(taken));
  });
  it('stays empty until the back-pressure deadline', () => {
    const bucket = new TokenBucket(10, 10, 0);
    bucket.drainUntil(0, 1000);
    assert.equal(bucket.take(999), false);
    assert.equal(bucket.take(1100), true);
  });
});

describe('pair pacer', () => {
  it('allows the burst, then one message per interval to the same recipient', () => {
    const pacer = new PairPacer(3);
    assert.ok(pacer.take('c', 0) && pacer.take('c', 0) && pacer.take('c', 0));
    assert.equal(pacer.take('c', 0), false);
    assert.equal(pacer.readyAt('c', 'marketing', 0), PAIR_INTERVAL);
    assert.equal(pacer.take('c', PAIR_INTERVAL), true);
    assert.equal(pacer.take('other', 0), true, 'other recipients are not affected');
  });
  it('backs off 4^X seconds after repeated pair-limit errors', () => {
    const pacer = new PairPacer(40);
    assert.equal(pacer.onPairLimit('c', 0), 1000);
    assert.equal(pacer.onPairLimit('c', 1000), 5000);
    assert.equal(pacer.take('c', 4999), false);
  });
  it('blocks later messages in a lane behind a pending retry, not other lanes', () => {
    const pacer = new PairPacer(40);
    pacer.block('c', 'marketing', 5000);
    assert.equal(pacer.readyAt('c', 'marketing', 0), 5000);
    assert.equal(pacer.readyAt('c', 'otp', 0), 0);
  });
  it('forgets idle recipients so memory stays bounded', () => {
    const pacer = new PairPacer(2, 10);
    for (let i = 0; i < 100; i++) pacer.take(`c${i}`, i);
    assert.ok(pacer.size <= 100);
    pacer.prune(10 * PAIR_INTERVAL);
    assert.equal(pacer.size, 0);
  });
});

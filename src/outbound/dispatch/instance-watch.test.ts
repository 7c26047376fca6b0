import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HELD_CHECK_MS, InstanceWatch, MAX_CHECK_BACKOFF_MS } from './instance-watch.js';
import { instanceAttention } from '../../channels/ultramsg/instance-attention.js';

describe('UltraMsg instance watch', () => {
  it('holds while the instance is not authenticated, checks more often meanwhile, and lifts the hold on authenticated', () => {
    const w = new InstanceWatch('snd_1', 30_000, 0, instanceAttention);
    assert.equal(w.due(0), true, 'a new watch checks at once');
    assert.equal(w.onStatus({ status: 'authenticated', substatus: 'connected' }, 0), false);
    assert.equal(w.held, false);
    assert.equal(w.nextCheckAt, 30_000);
    w.onStatus({ status: 'qr', substatus: 'normal' }, 30_000);
    assert.equal(w.held, true);
    assert.match(w.reason!, /GET \/v1\/senders\/snd_1\/qr/);
    assert.equal(w.nextCheckAt, 30_000 + HELD_CHECK_MS);
    w.onStatus({ status: 'loading', substatus: 'normal' }, 35_000);
    assert.equal(w.held, true, 'loading is not authenticated yet');
    assert.equal(w.onStatus({ status: 'authenticated', substatus: 'connected' }, 40_000), true, 'the hold is lifted');
    assert.equal(w.reason, null);
  });

  it('a failed check keeps the last verdict and backs off, up to five minutes', () => {
    const w = new InstanceWatch('snd_1', 30_000, 0, instanceAttention);
    w.onStatus({ status: 'standby', substatus: 'normal' }, 0);
    w.onError(1000);
    assert.equal(w.held, true, 'an error does not release held traffic');
    assert.equal(w.nextCheckAt, 1000 + HELD_CHECK_MS);
    w.onError(2000);
    assert.equal(w.nextCheckAt, 2000 + 2 * HELD_CHECK_MS);
    for (let i = 0; i < 30; i++) w.onError(3000);
    assert.equal(w.nextCheckAt, 3000 + MAX_CHECK_BACKOFF_MS);
    w.onStatus({ status: 'authenticated', substatus: 'connected' }, 4000);
    assert.equal(w.failures, 0);
    assert.equal(w.nextCheckAt, 34_000);
  });

  it('a worker taking the sender over holds until its first check', () => {
    const w = new InstanceWatch('snd_1', 30_000, 0, instanceAttention);
    w.resumeHeld('recorded reason');
    assert.equal(w.held, true);
    assert.equal(w.reason, 'recorded reason');
    assert.equal(w.due(0), true);
  });
});

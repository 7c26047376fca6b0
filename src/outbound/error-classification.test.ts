import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, pairDelay } from './error-classification.js';
import { classifyCloudError } from '../channels/whatsapp-cloud/errors.js';
import { classifyUltraMsgError } from '../channels/ultramsg/errors.js';

/** Each code by the adapter that reports it (UltraMsg's classes start with `ultramsg_`). */
const classifyProviderError = (error: { code: string; title: string }) => (error.code.startsWith('ultramsg_') ? classifyUltraMsgError(error) : classifyCloudError(error));

const action = (code: string) => classifyProviderError({ code, title: 't' }).action;

describe('provider error classification (one row per code family of the protocol notes)', () => {
  it('retries transient errors: 1, 2, 4, 80007, 131000, 131016, 5xx, network failures and timeouts', () => {
    for (const code of ['1', '2', '4', '80007', '131000', '131016', 'http_500', 'http_503', 'network', 'timeout', 'http_429']) assert.equal(action(code), 'retry', code);
  });
  it('throttles the sender on 130429', () => assert.equal(action('130429'), 'throttle'));
  it('delays only the recipient on 131056', () => assert.equal(action('131056'), 'pair_delay'));
  it('switches to the template path on 131047 and legacy 470', () => {
    assert.equal(action('131047'), 'window_closed');
    assert.equal(action('470'), 'window_closed');
  });
  it('retries 131049 hours later, not immediately', () => {
    const a = classifyProviderError({ code: '131049', title: '' });
    assert.equal(a.action, 'retry_later');
    assert.ok(a.action === 'retry_later' && a.delayMs >= 60 * 60 * 1000);
  });
  it('retries 131057 after about a minute, and media errors only once', () => {
    const a = classifyProviderError({ code: '131057', title: '' });
    assert.ok(a.action === 'retry_later' && a.delayMs === 60_000);
    const m = classifyProviderError({ code: '131052', title: '' });
    assert.ok(m.action === 'retry' && m.maxAttempts === 2);
  });
  it('never retries permanent codes', () => {
    for (const code of ['0', '3', '10', '100', '190', '368', '130472', '130497', '131005', '131008', '131009', '131021', '131026', '131030', '131031', '131037', '131042', '131045', '131048', '131051', '132000', '132001', '132005', '132007', '132008', '132012', '132015', '132016', '132068', '135000', '200', '299', 'http_400', 'ultramsg_auth', 'ultramsg_invalid', 'ultramsg_unsupported', '999999']) {
      assert.equal(action(code), 'permanent', code);
    }
  });
  it('suppresses marketing to a user who stopped it (131050)', () => {
    const a = classifyProviderError({ code: '131050', title: '' });
    assert.ok(a.action === 'permanent' && a.suppress === 'marketing');
  });
});

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

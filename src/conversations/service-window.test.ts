import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOUR } from '../shared/time.js';
import { SERVICE_WINDOW, isWindowOpen, lastInboundForClosedAt, windowClosesAt } from './service-window.js';

const NOW = Date.UTC(2026, 0, 15, 12);

describe('the 24-hour service window', () => {
  it('lasts 24 hours', () => {
    assert.equal(SERVICE_WINDOW, 24 * HOUR);
  });

  it('is closed when the customer never wrote', () => {
    assert.equal(isWindowOpen(null, NOW), false);
    assert.equal(isWindowOpen(undefined, NOW), false);
  });

  it('is open from the customer message until just before 24 hours have passed', () => {
    assert.equal(isWindowOpen(NOW, NOW), true);
    assert.equal(isWindowOpen(NOW - SERVICE_WINDOW + 1, NOW), true);
  });

  it('is closed exactly 24 hours after the customer message, and after', () => {
    assert.equal(isWindowOpen(NOW - SERVICE_WINDOW, NOW), false);
    assert.equal(isWindowOpen(NOW - SERVICE_WINDOW - 1, NOW), false);
  });

  it('closes at the first instant it is no longer open', () => {
    const last = NOW - 3 * HOUR;
    const closes = windowClosesAt(last);
    assert.equal(closes, last + 24 * HOUR);
    assert.equal(isWindowOpen(last, closes - 1), true);
    assert.equal(isWindowOpen(last, closes), false);
  });

  it('a window the provider reports closed at a time counts as closed from that time on, and open just before', () => {
    const last = lastInboundForClosedAt(NOW);
    assert.equal(windowClosesAt(last), NOW);
    assert.equal(isWindowOpen(last, NOW), false);
    assert.equal(isWindowOpen(last, NOW - 1), true);
  });

});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OutboundDraft } from './gate.js';
import { SERVICE_WINDOW } from '../../conversations/service-window.js';
import { windowGate } from './window-gate.js';
import { suppressionGate } from './suppression-gate.js';
import { validityGate } from './validity-gate.js';
import { decideAll } from '../../policy/decide.js';

const NOW = Date.UTC(2026, 10, 27, 12);
const draft = (over: Partial<OutboundDraft> = {}): OutboundDraft => ({
  workspaceId: 'ws',
  senderId: 'snd',
  provider: 'cloud',
  contactId: 'ct',
  to: '+15550000001',
  lane: 'transactional',
  type: 'text',
  purpose: 'utility',
  channel: 'whatsapp',
  createdAt: NOW - 1000,
  ...over,
});

describe('24-hour window gate', () => {
  it('lets free-form text through while the customer wrote less than 24 hours ago', () => {
    assert.equal(windowGate.decide(draft(), { lastInboundAt: NOW - SERVICE_WINDOW + 1 }, NOW).outcome, 'pass');
  });
  it('refuses free-form text once 24 hours have passed, saying when the customer last wrote', () => {
    const verdict = windowGate.decide(draft(), { lastInboundAt: NOW - SERVICE_WINDOW }, NOW);
    assert.equal(verdict.outcome, 'refuse');
    assert.ok(verdict.outcome === 'refuse' && verdict.code === 'window_closed' && /more than 24 hours/.test(verdict.reason));
  });
  it('refuses free-form to a customer who never wrote, for every non-template type', () => {
    for (const type of ['text', 'image', 'interactive', 'location', 'reaction']) {
      assert.equal(windowGate.decide(draft({ type }), { lastInboundAt: null }, NOW).outcome, 'refuse', type);
    }
  });
  it('always allows templates, and has no window on UltraMsg', () => {
    assert.equal(windowGate.decide(draft({ type: 'template' }), { lastInboundAt: null }, NOW).outcome, 'pass');
    assert.equal(windowGate.decide(draft({ provider: 'ultramsg' }), { lastInboundAt: null }, NOW).outcome, 'pass');
  });
});

describe('validity gate', () => {
  it('refuses as expired after validUntil and passes before it or without one', () => {
    const expired = validityGate.decide(draft({ validUntil: NOW - 1 }), null, NOW);
    assert.ok(expired.outcome === 'refuse' && expired.code === 'expired');
    assert.equal(validityGate.decide(draft({ validUntil: NOW + 1 }), null, NOW).outcome, 'pass');
    assert.equal(validityGate.decide(draft(), null, NOW).outcome, 'pass');
  });
});

describe('suppression gate', () => {
  it('blocks everything for an `all` suppression and only marketing for a `marketing` one', () => {
    const all = [{ scope: 'all' as const, reason: 'undeliverable', expiresAt: null }];
    const marketing = [{ scope: 'marketing' as const, reason: '131050', expiresAt: null }];
    assert.equal(suppressionGate.decide(draft(), all, NOW).outcome, 'refuse');
    assert.equal(suppressionGate.decide(draft(), marketing, NOW).outcome, 'pass');
    assert.equal(suppressionGate.decide(draft({ lane: 'marketing' }), marketing, NOW).outcome, 'refuse');
  });
  it('ignores expired suppressions', () => {
    assert.equal(suppressionGate.decide(draft(), [{ scope: 'all', reason: 'x', expiresAt: NOW }], NOW).outcome, 'pass');
  });
});

describe('gate runner', () => {
  it('stops at the first gate that does not pass and logs every gate it ran', () => {
    const run = decideAll([validityGate, suppressionGate, windowGate], draft(), [null, [{ scope: 'all', reason: 'blocked', expiresAt: null }], { lastInboundAt: NOW }], NOW);
    assert.equal(run.verdict.outcome, 'refuse');
    assert.deepEqual(run.decisions.map((d) => d.gate), ['validity', 'suppression']);
  });
});

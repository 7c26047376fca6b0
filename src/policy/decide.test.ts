import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decide, decideAll, describeRun, statusOfDecision, unavailableChannel } from './decide.js';
import type { Gate, OutboundDraft, Verdict } from './gate.js';

const draft: OutboundDraft = { workspaceId: 'ws', senderId: 'sd', provider: 'cloud', contactId: 'ct', to: '+15550001111', lane: 'transactional', type: 'text', purpose: 'utility', channel: 'whatsapp', createdAt: 0 };
const gate = (name: string, verdict: Verdict): Gate<null, never> => ({ name, load: () => Promise.resolve(null), decide: () => verdict });

describe('decide', () => {
  it('maps each verdict to what becomes of the message', () => {
    assert.deepEqual(decide({ outcome: 'pass' }), { kind: 'go' });
    assert.deepEqual(decide({ outcome: 'hold', until: 5, reason: 'later' }), { kind: 'hold', until: 5, reason: 'later' });
    assert.deepEqual(decide({ outcome: 'refuse', code: 'window_closed', reason: 'closed' }), { kind: 'end', status: 'refused', code: 'window_closed', reason: 'closed' });
    assert.deepEqual(decide({ outcome: 'refuse', code: 'expired', reason: 'late' }), { kind: 'end', status: 'expired', code: 'expired', reason: 'late' });
  });

  it('sends a backup template once, and refuses a reroute it cannot carry out', () => {
    const toTemplate: Verdict = { outcome: 'reroute', to: { kind: 'template', template: { name: 'b', language: 'en_US' } }, code: 'template_paused', reason: 'a is PAUSED' };
    assert.deepEqual(decide(toTemplate), { kind: 'backup', template: { name: 'b', language: 'en_US' }, reason: 'a is PAUSED' });
    const again = decide(toTemplate, true);
    assert.equal(again.kind === 'end' && again.code, 'fallback_channel_unavailable');
    const toSms: Verdict = { outcome: 'reroute', to: { kind: 'channel', channel: 'sms' }, code: 'template_disabled', reason: 'a is DISABLED' };
    assert.deepEqual(decide(toSms), { kind: 'end', status: 'refused', code: 'fallback_channel_unavailable', reason: 'a is DISABLED; but the sms channel is not available in this Parley, so the message is not sent.' });
    assert.equal(unavailableChannel(toSms).outcome, 'refuse');
  });

  it('gives the stored status: the end, or waiting', () => {
    assert.equal(statusOfDecision({ kind: 'go' }, 'scheduled'), 'scheduled');
    assert.equal(statusOfDecision({ kind: 'hold', until: 1, reason: 'r' }, 'queued'), 'queued');
    assert.equal(statusOfDecision(decide({ outcome: 'refuse', code: 'expired', reason: 'late' }), 'queued'), 'expired');
  });
});

describe('decideAll', () => {
  it('stops at the first verdict that is not pass and logs each gate', () => {
    const run = decideAll([gate('a', { outcome: 'pass', note: 'ok' }), gate('b', { outcome: 'hold', until: 0, reason: 'wait' }), gate('c', { outcome: 'pass' })], draft, [null, null, null], 0);
    assert.equal(run.verdict.outcome, 'hold');
    assert.deepEqual(describeRun(run), [
      { gate: 'a', outcome: 'pass', note: 'ok' },
      { gate: 'b', outcome: 'hold', reason: 'wait', until: '1970-01-01T00:00:00.000Z' },
    ]);
    assert.equal(decideAll([gate('a', { outcome: 'pass' })], draft, [null], 0).verdict.outcome, 'pass');
  });

  it('logs a reroute without a code, as before', () => {
    const run = decideAll([gate('t', { outcome: 'reroute', to: { kind: 'channel', channel: 'email' }, code: 'template_disabled', reason: 'r' })], draft, [null], 0);
    assert.deepEqual(describeRun(run), [{ gate: 't', outcome: 'reroute', reason: 'r' }]);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideRollout, scheduleProblem } from './rollout-step.js';
import { DEFAULT_GUARDRAILS, evaluateGuardrails, type VariantCounts } from './guardrails.js';
import { HOUR } from '../../shared/time.js';

const counts = (c: Partial<VariantCounts>): VariantCounts => ({ sent: 0, delivered: 0, read: 0, replied: 0, failed: 0, optedOut: 0, ...c });
const healthy = counts({ sent: 1000, delivered: 980, read: 700, failed: 20, optedOut: 5 });
const rollout = { stages: [{ percent: 1, minMessages: 100 }, { percent: 10, holdMs: HOUR }, { percent: 100 }], currentStage: 0, stageStartedAt: 0 };

describe('guardrails', () => {
  it('does not judge a variant before it has the minimum sample', () => {
    assert.deepEqual(evaluateGuardrails(counts({ sent: 99, delivered: 99, optedOut: 50 }), healthy, DEFAULT_GUARDRAILS), { verdict: 'insufficient_data', sent: 99, needed: 100 });
  });

  it('passes a variant that behaves like the control', () => {
    assert.deepEqual(evaluateGuardrails(counts({ sent: 200, delivered: 196, read: 140, failed: 4, optedOut: 1 }), healthy, DEFAULT_GUARDRAILS), { verdict: 'ok' });
  });

  it('breaches on an opt-out rate more than the limit above the control', () => {
    const v = evaluateGuardrails(counts({ sent: 200, delivered: 200, read: 140, failed: 4, optedOut: 12 }), healthy, DEFAULT_GUARDRAILS);
    assert.equal(v.verdict, 'breach');
    assert.deepEqual(v.verdict === 'breach' && v.breaches.map((b) => b.metric), ['opt_out_rate']);
  });

  it('breaches on failure rate and on a read-rate drop', () => {
    const v = evaluateGuardrails(counts({ sent: 200, delivered: 150, read: 40, failed: 50 }), healthy, DEFAULT_GUARDRAILS);
    assert.deepEqual(v.verdict === 'breach' && v.breaches.map((b) => b.metric), ['failure_rate', 'read_rate']);
  });

  it('treats a quiet control as zero failure and opt-out, and skips the read comparison', () => {
    const quiet = counts({ sent: 10, delivered: 10, read: 10 });
    assert.equal(evaluateGuardrails(counts({ sent: 200, delivered: 200, read: 0, optedOut: 5 }), quiet, DEFAULT_GUARDRAILS).verdict, 'breach');
    assert.equal(evaluateGuardrails(counts({ sent: 200, delivered: 200, read: 0, optedOut: 1 }), quiet, DEFAULT_GUARDRAILS).verdict, 'ok');
  });
});

describe('rollout decision', () => {
  it('holds a stage until its message count is reached, then advances', () => {
    assert.equal(decideRollout({ rollout, guardrails: DEFAULT_GUARDRAILS, variant: counts({ sent: 50 }), control: healthy, sentInStage: 50, now: 10 }).action, 'hold');
    const next = decideRollout({ rollout, guardrails: DEFAULT_GUARDRAILS, variant: counts({ sent: 100, delivered: 100, read: 80 }), control: healthy, sentInStage: 100, now: 10 });
    assert.deepEqual([next.action, next.action === 'advance' && next.toStage], ['advance', 1]);
  });

  it('holds a timed stage for its duration', () => {
    const at10 = { ...rollout, currentStage: 1, stageStartedAt: 1000 };
    const ok = counts({ sent: 500, delivered: 490, read: 350 });
    assert.equal(decideRollout({ rollout: at10, guardrails: DEFAULT_GUARDRAILS, variant: ok, control: healthy, sentInStage: 400, now: 1000 + HOUR - 1 }).action, 'hold');
    assert.equal(decideRollout({ rollout: at10, guardrails: DEFAULT_GUARDRAILS, variant: ok, control: healthy, sentInStage: 400, now: 1000 + HOUR }).action, 'advance');
  });

  it('completes after the last stage', () => {
    assert.equal(decideRollout({ rollout: { ...rollout, currentStage: 2 }, guardrails: DEFAULT_GUARDRAILS, variant: healthy, control: healthy, sentInStage: 0, now: 0 }).action, 'complete');
  });

  it('halts on a guardrail breach even when the stage would advance', () => {
    const bad = counts({ sent: 150, delivered: 150, read: 100, optedOut: 15 });
    const action = decideRollout({ rollout, guardrails: DEFAULT_GUARDRAILS, variant: bad, control: healthy, sentInStage: 150, now: 10 });
    assert.equal(action.action, 'halt');
    assert.match(action.why, /opt out rate 10.00% vs control 0.51%/);
  });

  it('validates schedules', () => {
    assert.equal(scheduleProblem([{ percent: 1, minMessages: 10 }, { percent: 10, holdMs: 1 }, { percent: 100 }]), null);
    assert.match(scheduleProblem([{ percent: 10, holdMs: 1 }, { percent: 5 }])!, /must rise/);
    assert.match(scheduleProblem([{ percent: 10 }, { percent: 50 }])!, /hold duration or a message count/);
    assert.match(scheduleProblem([{ percent: 120 }])!, /at most 100/);
  });
});

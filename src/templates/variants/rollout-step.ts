import { evaluateGuardrails, type Breach, type Guardrails, type VariantCounts } from './guardrails.js';

/** One stage of a rollout: the variant's share, held for a duration and/or until it sent a number of messages. */
export interface RolloutStage {
  percent: number;
  holdMs?: number;
  minMessages?: number;
}

export interface RolloutState {
  stages: RolloutStage[];
  currentStage: number;
  stageStartedAt: number;
}

export type RolloutAction =
  | { action: 'hold'; why: string }
  | { action: 'advance'; toStage: number; why: string }
  | { action: 'complete'; why: string }
  | { action: 'halt'; breaches: Breach[]; why: string };

/**
 * A stage is done when every hold it defines is met: its duration has passed since it started, and the
 * variant has sent `minMessages` in it. The last stage, once done, completes the rollout.
 */
export function stageDone(stage: RolloutStage, stageStartedAt: number, now: number, sentInStage: number): boolean {
  const timeOk = stage.holdMs === undefined || now - stageStartedAt >= stage.holdMs;
  const countOk = stage.minMessages === undefined || sentInStage >= stage.minMessages;
  return timeOk && countOk;
}

/**
 * What the rollout worker does now, as a pure decision: guardrails first (a breach halts the variant
 * whatever the stage), then advancing or completing when the current stage is done.
 */
export function decideRollout(input: {
  rollout: RolloutState;
  guardrails: Guardrails;
  variant: VariantCounts;
  control: VariantCounts;
  sentInStage: number;
  now: number;
}): RolloutAction {
  const { rollout, now, sentInStage } = input;
  const verdict = evaluateGuardrails(input.variant, input.control, input.guardrails);
  if (verdict.verdict === 'breach') {
    const why = verdict.breaches
      .map((b) => `${b.metric.replace(/_/g, ' ')} ${(b.variantRate * 100).toFixed(2)}% vs control ${(b.controlRate * 100).toFixed(2)}% (limit ${(b.limit * 100).toFixed(2)} points)`)
      .join('; ');
    return { action: 'halt', breaches: verdict.breaches, why };
  }
  const stage = rollout.stages[rollout.currentStage];
  if (!stageDone(stage, rollout.stageStartedAt, now, sentInStage)) {
    return { action: 'hold', why: `stage ${rollout.currentStage + 1} (${stage.percent}%) holds: ${sentInStage} sent${stage.minMessages !== undefined ? ` of ${stage.minMessages}` : ''}${stage.holdMs !== undefined ? `, ${Math.max(0, now - rollout.stageStartedAt)} of ${stage.holdMs} ms` : ''}` };
  }
  if (rollout.currentStage + 1 >= rollout.stages.length) return { action: 'complete', why: `the last stage (${stage.percent}%) is done` };
  const next = rollout.currentStage + 1;
  return { action: 'advance', toStage: next, why: `stage ${rollout.currentStage + 1} (${stage.percent}%) is done; moving to ${rollout.stages[next].percent}%` };
}

/** Checks a schedule: rising percents in (0, 100], each stage but the last with a hold. Returns a problem or null. */
export function scheduleProblem(stages: readonly RolloutStage[]): string | null {
  if (stages.length === 0) return 'A rollout needs at least one stage.';
  for (let i = 0; i < stages.length; i++) {
    const s = stages[i];
    if (!(s.percent > 0 && s.percent <= 100)) return `Stage ${i + 1}: percent must be above 0 and at most 100.`;
    if (i > 0 && s.percent <= stages[i - 1].percent) return `Stage ${i + 1}: percents must rise (${stages[i - 1].percent}% then ${s.percent}%).`;
    if (i < stages.length - 1 && s.holdMs === undefined && s.minMessages === undefined) return `Stage ${i + 1}: give a hold duration or a message count.`;
  }
  return null;
}

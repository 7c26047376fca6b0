import type { Db } from '../../db/database.js';
import { newId } from '../../shared/ids.js';
import type { Guardrails } from './guardrails.js';
import type { RolloutStage } from './rollout-step.js';

export interface Rollout {
  id: string;
  intentId: string;
  workspaceId: string;
  variantId: string;
  stages: RolloutStage[];
  guardrails: Guardrails;
  currentStage: number;
  stageStartedAt: number;
  state: 'running' | 'completed' | 'halted';
  haltedReason: string | null;
  startedAt: number;
  updatedAt: number;
}

type Row = {
  id: string; intent_id: string; workspace_id: string; variant_id: string; stages: string; guardrails: string; current_stage: number; stage_started_at: number;
  state: string; halted_reason: string | null; started_at: number; updated_at: number;
};

const toRollout = (r: Row): Rollout => ({
  id: r.id,
  intentId: r.intent_id,
  workspaceId: r.workspace_id,
  variantId: r.variant_id,
  stages: JSON.parse(r.stages) as RolloutStage[],
  guardrails: JSON.parse(r.guardrails) as Guardrails,
  currentStage: Number(r.current_stage),
  stageStartedAt: Number(r.stage_started_at),
  state: r.state as Rollout['state'],
  haltedReason: r.halted_reason,
  startedAt: Number(r.started_at),
  updatedAt: Number(r.updated_at),
});

export async function insertRollout(db: Db, input: { intentId: string; workspaceId: string; variantId: string; stages: RolloutStage[]; guardrails: Guardrails }, now: number): Promise<Rollout> {
  const row: Row = {
    id: newId('rol', now), intent_id: input.intentId, workspace_id: input.workspaceId, variant_id: input.variantId, stages: JSON.stringify(input.stages), guardrails: JSON.stringify(input.guardrails),
    current_stage: 0, stage_started_at: now, state: 'running', halted_reason: null, started_at: now, updated_at: now,
  };
  await db.insertInto('intent_rollouts').values(row).execute();
  return toRollout(row);
}

export async function listRollouts(db: Db, intentId: string): Promise<Rollout[]> {
  const rows = await db.selectFrom('intent_rollouts').selectAll().where('intent_id', '=', intentId).orderBy('started_at').orderBy('id').execute();
  return rows.map(toRollout);
}

export async function getRollout(db: Db, intentId: string, id: string): Promise<Rollout | undefined> {
  const row = await db.selectFrom('intent_rollouts').selectAll().where('intent_id', '=', intentId).where('id', '=', id).executeTakeFirst();
  return row && toRollout(row);
}

export async function listRunningRollouts(db: Db): Promise<Rollout[]> {
  const rows = await db.selectFrom('intent_rollouts').selectAll().where('state', '=', 'running').orderBy('started_at').execute();
  return rows.map(toRollout);
}

/** Moves a running rollout from `fromStage` to `toStage`; false when another worker already did. */
export async function advanceRollout(db: Db, rollout: Rollout, toStage: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('intent_rollouts')
    .set({ current_stage: toStage, stage_started_at: now, updated_at: now })
    .where('id', '=', rollout.id)
    .where('state', '=', 'running')
    .where('current_stage', '=', rollout.currentStage)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Ends a running rollout as completed or halted; a halt also halts its variant. False when it was no
 * longer running. Run it inside a transaction (`db` is the transaction) so both rows change together,
 * with the alert that announces it.
 */
export async function finishRollout(db: Db, rollout: Rollout, outcome: { state: 'completed' } | { state: 'halted'; reason: string }, now: number): Promise<boolean> {
  const result = await db
    .updateTable('intent_rollouts')
    .set({ state: outcome.state, halted_reason: outcome.state === 'halted' ? outcome.reason : null, updated_at: now })
    .where('id', '=', rollout.id)
    .where('state', '=', 'running')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  if (outcome.state === 'halted') {
    await db.updateTable('intent_variants').set({ state: 'halted', halted_reason: outcome.reason, halted_at: now, updated_at: now }).where('id', '=', rollout.variantId).execute();
  }
  return true;
}

import type { ParleyContext } from '../../runtime/context.js';
import { emitTemplateAlert } from '../alerts/emit-alert.js';
import { getIntentById } from '../intents/intent-queries.js';
import { ZERO_COUNTS } from './guardrails.js';
import { advanceRollout, finishRollout, listRunningRollouts, type Rollout } from './rollout-queries.js';
import { decideRollout, type RolloutAction } from './rollout-step.js';
import { listVariants } from './variant-queries.js';
import { variantCounts, variantSentSince } from './variant-results.js';

export interface RolloutTickResult {
  rolloutId: string;
  action: RolloutAction['action'];
  why: string;
}

/** Decides and acts on one running rollout: halt on a guardrail breach, advance, complete, or hold. */
export async function checkRollout(ctx: ParleyContext, rollout: Rollout): Promise<RolloutTickResult> {
  const now = ctx.clock.now();
  const intent = await getIntentById(ctx.db, rollout.intentId);
  if (!intent) return { rolloutId: rollout.id, action: 'hold', why: 'the intent no longer exists' };
  const variants = await listVariants(ctx.db, intent.id);
  const control = variants.find((v) => v.isControl);
  const variant = variants.find((v) => v.id === rollout.variantId);
  const counts = await variantCounts(ctx, intent, rollout.startedAt);
  const decision = decideRollout({
    rollout,
    guardrails: rollout.guardrails,
    variant: counts.get(rollout.variantId) ?? ZERO_COUNTS,
    control: (control && counts.get(control.id)) ?? ZERO_COUNTS,
    sentInStage: await variantSentSince(ctx, intent, rollout.variantId, rollout.stageStartedAt),
    now,
  });
  if (decision.action === 'halt') {
    await ctx.db.transaction().execute(async (trx) => {
      if (!(await finishRollout(trx, rollout, { state: 'halted', reason: decision.why }, now))) return;
      await emitTemplateAlert(ctx, {
        workspaceId: rollout.workspaceId,
        type: 'variant.halted',
        intentId: intent.id,
        dedupeKey: `${rollout.id}:halted`,
        data: { intent: intent.name, rolloutId: rollout.id, variantId: rollout.variantId, variant: variant?.name, stage: rollout.currentStage, percent: rollout.stages[rollout.currentStage].percent, breaches: decision.breaches, reason: decision.why },
      }, trx);
    });
  } else if (decision.action === 'advance') {
    await advanceRollout(ctx.db, rollout, decision.toStage, now);
  } else if (decision.action === 'complete') {
    await ctx.db.transaction().execute(async (trx) => {
      if (!(await finishRollout(trx, rollout, { state: 'completed' }, now))) return;
      await emitTemplateAlert(ctx, {
        workspaceId: rollout.workspaceId,
        type: 'rollout.completed',
        intentId: intent.id,
        dedupeKey: `${rollout.id}:completed`,
        data: { intent: intent.name, rolloutId: rollout.id, variantId: rollout.variantId, variant: variant?.name, percent: rollout.stages.at(-1)!.percent },
      }, trx);
    });
  }
  return { rolloutId: rollout.id, action: decision.action, why: decision.why };
}

/** One pass of the rollout guard over every running rollout; one rollout's failure does not stop the rest. */
export async function checkRollouts(ctx: ParleyContext): Promise<RolloutTickResult[]> {
  const results: RolloutTickResult[] = [];
  for (const rollout of await listRunningRollouts(ctx.db)) {
    try {
      results.push(await checkRollout(ctx, rollout));
    } catch (error) {
      ctx.logger.error({ err: error, rolloutId: rollout.id }, 'rollout check failed');
    }
  }
  return results;
}

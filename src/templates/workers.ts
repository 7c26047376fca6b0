import type { BackgroundWorker, ParleyContext } from '../runtime/context.js';
import { intervalWorker } from '../runtime/interval-worker.js';
import { reconcileAll } from './sync/reconcile.js';
import { checkRollouts } from './variants/rollout-guard.js';

/**
 * The module's background work:
 * - `template-sync`: reconciles template statuses with the provider (PARLEY_TEMPLATE_SYNC_INTERVAL_MS);
 * - `rollout-guard`: checks running rollouts' guardrails, advances and completes them
 *   (PARLEY_ROLLOUT_CHECK_INTERVAL_MS).
 * Both are safe to run in several worker processes: every change they make is a conditional update.
 */
export function templateWorkers(ctx: ParleyContext): BackgroundWorker[] {
  return [
    intervalWorker('template-sync', ctx.config.templateSyncIntervalMs, ctx.logger, () => reconcileAll(ctx)),
    intervalWorker('rollout-guard', ctx.config.rolloutCheckIntervalMs, ctx.logger, () => checkRollouts(ctx)),
  ];
}

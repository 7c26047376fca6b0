import type { ParleyContext } from '../runtime/context.js';
import { carryOut } from './carry-out.js';
import type { BotPorts } from './ports.js';
import { runsWithPending } from './session-store.js';

/** How often the sweep looks for runs with effects left undone. */
export const BOT_SWEEP_MS = 10_000;
/**
 * How long a run's effects may wait before the sweep carries them out: longer than the slowest business
 * webhook call a flow allows (6 attempts of 30 s), so a call still under way is not made twice.
 */
export const BOT_STALE_MS = 200_000;
const BATCH = 100;

/**
 * Carries out the effects of runs a crash or a stop left undone (the answer after a customer's message,
 * a hand-off, a business webhook call): nothing the bot decided is lost. Returns how many runs it finished.
 */
export async function finishStalledRuns(ctx: ParleyContext, ports: BotPorts): Promise<number> {
  const ids = await runsWithPending(ctx.db, ctx.clock.now() - BOT_STALE_MS, BATCH);
  for (const id of ids) {
    // One run that cannot finish (its conversation's sender is gone) must not hold up the others.
    await carryOut(ctx, ports, id).catch((err: unknown) => ctx.logger.warn({ err, runId: id }, 'bot: finishing a run\'s effects failed; the sweep tries again'));
  }
  return ids.length;
}

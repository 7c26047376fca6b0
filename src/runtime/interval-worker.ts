import type { BackgroundWorker } from './context.js';
import type { Logger } from '../observability/logger.js';
import { logLoopFailure } from '../db/unavailable.js';

/**
 * A background worker that runs `tick` soon after start, then every `intervalMs`, never two ticks at
 * once; `stop()` waits for a running tick. Used by the reconciliation poll (so a fresh start imports the
 * provider's templates at once), the rollout guard, and the conversations module's sweeps.
 */
const FIRST_TICK_MS = 1000;

export function intervalWorker(name: string, intervalMs: number, logger: Logger, tick: () => Promise<unknown>): BackgroundWorker {
  let timer: NodeJS.Timeout | undefined;
  let first: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let failures = 0;
  const run = () => {
    if (running) return;
    running = tick()
      .then(() => {
        failures = 0;
      })
      .catch((error: unknown) => logLoopFailure(logger.child({ worker: name }), error, ++failures, 'background tick'))
      .finally(() => {
        running = undefined;
      });
  };
  return {
    name,
    start() {
      if (timer) return;
      first = setTimeout(run, FIRST_TICK_MS);
      first.unref();
      timer = setInterval(run, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      if (first) clearTimeout(first);
      timer = undefined;
      await running;
    },
  };
}

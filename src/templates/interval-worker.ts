import type { BackgroundWorker } from '../runtime/context.js';
import type { Logger } from '../observability/logger.js';

/**
 * A background worker that runs `tick` every `intervalMs`, never two ticks at once; `stop()` waits for a
 * running tick. Used by the reconciliation poll and the rollout guard.
 */
export function intervalWorker(name: string, intervalMs: number, logger: Logger, tick: () => Promise<unknown>): BackgroundWorker {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const run = () => {
    if (running) return;
    running = tick()
      .then(() => undefined)
      .catch((error: unknown) => logger.error({ err: error, worker: name }, 'background tick failed'))
      .finally(() => {
        running = undefined;
      });
  };
  return {
    name,
    start() {
      if (timer) return;
      timer = setInterval(run, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

import type { BackgroundWorker, ParleyContext } from '../runtime/context.js';
import { HOUR } from '../shared/time.js';
import { purgeUnusedUploads } from './upload-store.js';

/**
 * Deletes uploads that no message named within 24 hours of their upload, once an hour (first pass
 * shortly after start). Several worker processes may run it at once: each delete is guarded by
 * `used_at is null`, so a pass only repeats work.
 */
export class UploadPurgeWorker implements BackgroundWorker {
  readonly name = 'upload-purge';
  static readonly INTERVAL_MS = HOUR;
  static readonly FIRST_RUN_DELAY_MS = 15_000;
  readonly #ctx: ParleyContext;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(ctx: ParleyContext) {
    this.#ctx = ctx;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(UploadPurgeWorker.FIRST_RUN_DELAY_MS);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  /** One pass: purges unused uploads in batches until none is left; returns how many. */
  async runOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const purged = await purgeUnusedUploads(this.#ctx.db, this.#ctx.clock.now());
      total += purged;
      if (purged === 0 || this.#stopped) break;
    }
    if (total) this.#ctx.logger.info({ purged: total }, 'uploads: unused uploads purged');
    return total;
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.runOnce().then(
        () => undefined,
        (error) => this.#ctx.logger.error({ err: error }, 'uploads: purge failed'),
      ).finally(() => this.#schedule(UploadPurgeWorker.INTERVAL_MS));
    }, delay);
    this.#timer.unref();
  }
}

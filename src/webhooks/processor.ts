import { randomBytes } from 'node:crypto';
import type { BackgroundWorker, ParleyContext } from '../runtime/context.js';
import { DAY, MINUTE, SECOND } from '../shared/time.js';
import { failureBackoff, logLoopFailure } from '../db/unavailable.js';
import { emitOrphanedDomainEvents } from './domain-event-queue.js';
import { claimLogRows } from './log/claim-log-rows.js';
import { purgeProcessedLog } from './log/purge-log.js';
import { sweepPendingStatuses } from './pending-statuses.js';
import { processRows } from './process/process-rows.js';
import { webhookServicesFor, type WebhookServices } from './services.js';

export interface ProcessorOptions {
  /** Deliveries claimed per batch. */
  batchSize: number;
  /** How long a claim lasts before another worker may take the deliveries (crash recovery). */
  leaseMs: number;
  /** Poll interval when idle and not woken by a commit in this process. */
  idleMs: number;
  /**
   * Under load (the last batch was not empty but not full), how long to let deliveries gather before
   * the next batch, unless a full batch's worth is committed sooner: fewer, larger batches cost less
   * per delivery (one transaction, a few statements). An idle processor starts on the first commit.
   */
  gatherMs: number;
  /** How often held statuses are retried and domain events of crashed processes re-emitted. */
  sweepEveryMs: number;
  /** How often old processed deliveries are purged. */
  purgeEveryMs: number;
}

export const DEFAULT_PROCESSOR_OPTIONS: ProcessorOptions = { batchSize: 250, leaseMs: 10 * SECOND, idleMs: 250, gatherMs: 10, sweepEveryMs: 5 * SECOND, purgeEveryMs: 10 * MINUTE };

/**
 * Processes the webhook log: claims due deliveries in batches, normalizes and applies them, marks
 * them done (or failed with their error). Several may run (on PostgreSQL, in several processes);
 * after a crash, claimed deliveries come due again when their lease ends.
 */
export class WebhookProcessor implements BackgroundWorker {
  readonly name = 'webhook-processor';
  readonly #ctx: ParleyContext;
  readonly #services: WebhookServices;
  readonly #options: ProcessorOptions;
  readonly #workerId = `whp_${randomBytes(6).toString('hex')}`;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  /** Deliveries committed in this process since the last batch started. */
  #committed = 0;
  #unsubscribe: (() => void) | undefined;
  /** Commits that end the current wait: 1 when idle, a full batch while gathering. */
  #wantBeforeWaking = 1;
  #lastSweep = 0;
  #lastPurge = 0;
  /** Consecutive failed passes: the loop backs off while the database is unreachable. */
  #failures = 0;

  constructor(ctx: ParleyContext, options: Partial<ProcessorOptions> = {}) {
    this.#ctx = ctx;
    this.#services = webhookServicesFor(ctx);
    this.#options = { ...DEFAULT_PROCESSOR_OPTIONS, ...options };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#unsubscribe = this.#services.onCommitted((count) => {
      this.#committed += count;
      if (this.#committed >= this.#wantBeforeWaking) this.#wake?.();
    });
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#unsubscribe?.();
    this.#wake?.();
    await this.#loop;
  }

  /** Claims and processes one batch; returns how many deliveries it processed. */
  async runOnce(): Promise<number> {
    const claimed = await claimLogRows(this.#ctx.db, this.#ctx.store.dialect, {
      workerId: this.#workerId,
      now: this.#ctx.clock.now(),
      limit: this.#options.batchSize,
      leaseMs: this.#options.leaseMs,
    });
    if (!claimed.length) return 0;
    await processRows(this.#ctx, this.#services, claimed);
    return claimed.length;
  }

  /** Periodic upkeep: held statuses, orphaned domain events, and (less often) the log's retention. */
  async housekeeping(force = false): Promise<void> {
    const now = this.#ctx.clock.now();
    if (force || now - this.#lastSweep >= this.#options.sweepEveryMs) {
      this.#lastSweep = now;
      await sweepPendingStatuses(this.#ctx);
      await emitOrphanedDomainEvents(this.#ctx, this.#ctx.store.dialect, now - this.#options.leaseMs);
    }
    if (force || now - this.#lastPurge >= this.#options.purgeEveryMs) {
      this.#lastPurge = now;
      await purgeProcessedLog(this.#ctx.db, now - this.#ctx.config.webhookLogRetentionDays * DAY);
    }
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let processed = 0;
      this.#committed = 0;
      try {
        processed = await this.runOnce();
        await this.housekeeping();
        this.#failures = 0;
      } catch (error) {
        this.#failures++;
        logLoopFailure(this.#ctx.logger, error, this.#failures, 'webhook processing pass');
      }
      if (this.#failures && this.#running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, failureBackoff(this.#failures));
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = undefined;
        continue;
      }
      if (processed >= this.#options.batchSize || !this.#running) continue;
      const gathering = processed > 0;
      this.#wantBeforeWaking = gathering ? this.#options.batchSize : 1;
      if (this.#committed >= this.#wantBeforeWaking) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, gathering ? this.#options.gatherMs : this.#options.idleMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }
}

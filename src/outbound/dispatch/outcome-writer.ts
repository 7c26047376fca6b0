import type { Db } from '../../db/database.js';
import type { Logger } from '../../observability/logger.js';
import { writeOutcomes, type Outcome } from './outcomes.js';
import { failureBackoff, logLoopFailure } from '../../db/unavailable.js';

/**
 * Buffers dispatch outcomes and writes them in one transaction every few milliseconds (batch at the
 * queue boundary). If a write fails the outcomes stay buffered and are tried again; if the process
 * dies first, the messages are still `sending` and the reconciler settles them.
 */
export class OutcomeWriter {
  readonly #db: Db;
  readonly #workerId: string;
  readonly #logger: Logger;
  readonly #after: (outcomes: Outcome[]) => void;
  #buffer: Outcome[] = [];
  #timer?: NodeJS.Timeout;
  #flushing?: Promise<void>;
  /** Consecutive failed writes: retries back off while the database is unreachable. */
  #failures = 0;
  static readonly FLUSH_MS = 5;
  static readonly MAX_BATCH = 500;

  constructor(db: Db, workerId: string, logger: Logger, after: (outcomes: Outcome[]) => void = () => {}) {
    this.#db = db;
    this.#workerId = workerId;
    this.#logger = logger;
    this.#after = after;
  }

  push(outcome: Outcome): void {
    this.#buffer.push(outcome);
    if (this.#buffer.length >= OutcomeWriter.MAX_BATCH) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), OutcomeWriter.FLUSH_MS);
  }

  get pending(): number {
    return this.#buffer.length;
  }

  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#flushing) await this.#flushing;
    if (this.#buffer.length === 0) return;
    const batch = this.#buffer.splice(0, OutcomeWriter.MAX_BATCH);
    this.#flushing = writeOutcomes(this.#db, this.#workerId, batch)
      .then(() => {
        this.#failures = 0;
        this.#after(batch);
      })
      .catch((error) => {
        this.#failures++;
        logLoopFailure(this.#logger.child({ count: batch.length }), error, this.#failures, 'writing dispatch outcomes (kept, will retry)');
        this.#buffer.unshift(...batch);
        this.#timer ??= setTimeout(() => void this.flush(), Math.max(100, failureBackoff(this.#failures, 100, 2000)));
      })
      .finally(() => {
        this.#flushing = undefined;
      });
    await this.#flushing;
    if (this.#buffer.length) this.#timer ??= setTimeout(() => void this.flush(), this.#failures ? Math.max(100, failureBackoff(this.#failures, 100, 2000)) : OutcomeWriter.FLUSH_MS);
  }
}

import type { Db } from '../db/database.js';
import type { WebhookProvider } from './tables.js';

/** One delivery to commit: the body is already sealed. */
export interface LogEntry {
  provider: WebhookProvider;
  receivedAt: number;
  senderId: string | null;
  sealedBody: Buffer;
  headers: Record<string, string>;
}

export interface LogWriterOptions {
  /**
   * How long the first delivery of an idle writer waits for others to share its commit. 0 (the
   * default) commits at the end of the current event-loop turn: every delivery read in the same
   * turn shares the commit, and a lone delivery is not held back. Under load the commit in flight
   * (or, on SQLite, the turn that ran it) gathers the next group anyway.
   */
  windowMs: number;
  /** Most deliveries in one commit. */
  maxBatch: number;
  /** Most body bytes in one commit (Meta's deliveries can be 3 MB each). */
  maxBytes: number;
  /** Called after each commit (wakes the processor in this process). */
  onCommit?: (count: number) => void;
}

export const DEFAULT_LOG_WRITER_OPTIONS: LogWriterOptions = { windowMs: 0, maxBatch: 500, maxBytes: 8 * 1024 * 1024 };

interface Waiting {
  entry: LogEntry;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the webhook log. `append()` resolves only once its delivery is committed, so the
 * route answers 200 after the commit. Deliveries arriving while a commit is in flight, or in the same
 * event-loop turn as an idle writer's first one (or within `windowMs` of it), are written together by one multi-row INSERT (one
 * transaction): under load each commit carries many deliveries, and durability costs little per request.
 * A failed commit rejects exactly the deliveries it carried; the provider retries them.
 */
export class WebhookLogWriter {
  readonly #db: Db;
  readonly #options: LogWriterOptions;
  #queue: Waiting[] = [];
  #queuedBytes = 0;
  /** Cancels the scheduled commit of an idle writer, if one is scheduled. */
  #cancelScheduled: (() => void) | undefined;
  #flushing: Promise<void> | undefined;
  #closed = false;

  constructor(db: Db, options: Partial<LogWriterOptions> = {}) {
    this.#db = db;
    this.#options = { ...DEFAULT_LOG_WRITER_OPTIONS, ...options };
  }

  append(entry: LogEntry): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('The webhook log writer is closed.'));
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ entry, resolve, reject });
      this.#queuedBytes += entry.sealedBody.length;
      this.#schedule();
    });
  }

  /** Commits whatever is queued, then refuses new entries. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#unschedule();
    if (this.#queue.length && !this.#flushing) this.#startFlush();
    await this.#flushing;
  }

  #schedule(): void {
    // A commit in flight picks the queue up when it finishes: that is the group.
    if (this.#flushing) return;
    if (this.#queue.length >= this.#options.maxBatch || this.#queuedBytes >= this.#options.maxBytes) {
      this.#unschedule();
      this.#startFlush();
      return;
    }
    if (this.#cancelScheduled) return;
    const fire = () => {
      this.#cancelScheduled = undefined;
      if (!this.#flushing) this.#startFlush();
    };
    if (this.#options.windowMs > 0) {
      const timer = setTimeout(fire, this.#options.windowMs);
      this.#cancelScheduled = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(fire);
      this.#cancelScheduled = () => clearImmediate(immediate);
    }
  }

  #unschedule(): void {
    this.#cancelScheduled?.();
    this.#cancelScheduled = undefined;
  }

  #startFlush(): void {
    this.#flushing = this.#drain().finally(() => {
      this.#flushing = undefined;
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length) {
      const batch = this.#take();
      try {
        await this.#db
          .insertInto('webhook_log')
          .values(
            batch.map(({ entry }) => ({
              provider: entry.provider,
              received_at: entry.receivedAt,
              sender_id: entry.senderId,
              body: entry.sealedBody,
              headers: JSON.stringify(entry.headers),
              state: 'pending' as const,
              next_attempt_at: entry.receivedAt,
            })),
          )
          .execute();
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
        continue;
      }
      for (const waiting of batch) waiting.resolve();
      this.#options.onCommit?.(batch.length);
    }
  }

  #take(): Waiting[] {
    let bytes = 0;
    let count = 0;
    while (count < this.#queue.length && count < this.#options.maxBatch) {
      const size = this.#queue[count].entry.sealedBody.length;
      if (count > 0 && bytes + size > this.#options.maxBytes) break;
      bytes += size;
      count++;
    }
    this.#queuedBytes -= bytes;
    return this.#queue.splice(0, count);
  }
}

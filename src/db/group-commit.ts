import type { Db } from './database.js';
import type { Transaction } from 'kysely';
import type { Database } from './schema.js';

/**
 * Group commit: callers submit writes and wait for them to be durable; writes that arrive while a
 * commit is running (or in the same turn of the event loop) share the next transaction. Under load one
 * commit carries many writes, so durability costs little per request; at low load a write is committed
 * at once. If a shared transaction fails, its writes are retried one per transaction, so one bad write
 * (a unique-key conflict, say) fails alone and the others still commit. The write may answer each
 * item (`R`, in the items' order); `submit` resolves to that item's answer once it is committed.
 */
export class GroupCommit<T, R = void> {
  readonly #db: Db;
  readonly #write: (tx: Transaction<Database>, items: T[]) => Promise<R[] | void>;
  readonly #maxBatch: number;
  #queue: Array<{ item: T; resolve: (result: R | undefined) => void; reject: (error: unknown) => void }> = [];
  #running = false;
  #scheduled = false;

  constructor(db: Db, write: (tx: Transaction<Database>, items: T[]) => Promise<R[] | void>, maxBatch = 200) {
    this.#db = db;
    this.#write = write;
    this.#maxBatch = maxBatch;
  }

  submit(item: T): Promise<R | undefined> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (!this.#running && !this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    this.#scheduled = false;
    if (this.#running) return;
    this.#running = true;
    try {
      while (this.#queue.length) {
        const batch = this.#queue.splice(0, this.#maxBatch);
        try {
          const results = await this.#db.transaction().execute((tx) => this.#write(tx, batch.map((b) => b.item)));
          batch.forEach((b, i) => b.resolve(results ? results[i] : undefined));
        } catch (error) {
          if (batch.length === 1) {
            batch[0].reject(error);
            continue;
          }
          for (const b of batch) {
            try {
              const results = await this.#db.transaction().execute((tx) => this.#write(tx, [b.item]));
              b.resolve(results ? results[0] : undefined);
            } catch (single) {
              b.reject(single);
            }
          }
        }
      }
    } finally {
      this.#running = false;
    }
  }
}

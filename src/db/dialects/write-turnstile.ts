/**
 * Turns at SQLite's write lock for the threads of one process (`parley start`: the API thread and the
 * worker thread each have a connection to the same file).
 *
 * Without it, a connection that finds the file locked by the other thread's transaction waits in
 * SQLite's busy handler, which sleeps the whole thread in steps of 1 to 100 ms: the API thread's event
 * loop stops answering for as long, and a busy worker thread can win the lock again before the
 * sleeper wakes. With it, a thread that wants to write takes a ticket and waits for its turn with
 * `Atomics.waitAsync` (its event loop goes on parsing requests and running gates meanwhile); the
 * holder's release wakes the next ticket at once, in arrival order.
 *
 * The turnstile is advisory: SQLite's own locking still guarantees correctness. A wait is bounded by
 * `MAX_WAIT_MS`: a turn held longer (a thread died holding it) is taken as lost and everyone waiting
 * goes through (`reset()`, also called when the worker thread ends unexpectedly); SQLite's busy
 * timeout then decides, as without a turnstile.
 */
export const MAX_WAIT_MS = 5000;

// Node 20 has `Atomics.waitAsync` (ES2024); the project's TypeScript lib is ES2023.
type WaitAsync = (cells: Int32Array, index: number, value: number, timeoutMs: number) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

const NEXT_TICKET = 0;
const NOW_SERVING = 1;

export class WriteTurnstile {
  readonly buffer: SharedArrayBuffer;
  readonly #cells: Int32Array;

  /** A new turnstile (`buffer` omitted) or the one another thread created (its `buffer`). */
  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT)) {
    this.buffer = buffer;
    this.#cells = new Int32Array(buffer);
  }

  /** Waits for this caller's turn (without blocking the event loop) and returns the release. */
  async enter(): Promise<() => void> {
    const ticket = Atomics.add(this.#cells, NEXT_TICKET, 1);
    const deadline = Date.now() + MAX_WAIT_MS;
    for (;;) {
      const serving = Atomics.load(this.#cells, NOW_SERVING);
      if (serving === ticket) break;
      // A reset let this ticket through: go, without a turn to give back (the release does nothing).
      if (((serving - ticket) | 0) > 0) break;
      const left = deadline - Date.now();
      if (left <= 0) {
        // The holder has kept its turn too long (or died with it): let everyone through.
        this.reset();
        break;
      }
      const wait = waitAsync(this.#cells, NOW_SERVING, serving, left);
      if (wait.async) await wait.value;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Only the holder of the current turn passes it on; after a reset the counters are already level.
      if (Atomics.compareExchange(this.#cells, NOW_SERVING, ticket, ticket + 1) === ticket) Atomics.notify(this.#cells, NOW_SERVING);
    };
  }

  /** Lets every ticket taken so far through (a thread holding one has died). */
  reset(): void {
    Atomics.store(this.#cells, NOW_SERVING, Atomics.load(this.#cells, NEXT_TICKET));
    Atomics.notify(this.#cells, NOW_SERVING);
  }
}

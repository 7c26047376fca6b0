/**
 * Runs callbacks at given real times with one Node timer, whatever the number of pending callbacks
 * (thousands of status transitions per second would otherwise mean thousands of timers). A binary heap
 * ordered by due time, then by insertion order.
 */
interface Entry {
  at: number;
  seq: number;
  run: () => void;
}

export class TimerQueue {
  #heap: Entry[] = [];
  #seq = 0;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  #closed = false;

  constructor(private readonly onError: (error: unknown) => void = () => {}) {}

  get size(): number {
    return this.#heap.length;
  }

  /** Runs `run` after `delayMs` of real time. */
  after(delayMs: number, run: () => void): void {
    if (this.#closed) return;
    const entry = { at: Date.now() + Math.max(0, delayMs), seq: ++this.#seq, run };
    this.#push(entry);
    this.#arm();
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#heap = [];
  }

  clear(): void {
    this.#heap = [];
  }

  #arm(): void {
    const first = this.#heap[0];
    if (!first || first.at >= this.#timerAt) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerAt = first.at;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, first.at - Date.now()));
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = Date.now();
    let ran = 0;
    while (this.#heap.length && this.#heap[0].at <= now && ran < 10_000) {
      const entry = this.#pop()!;
      ran++;
      try {
        entry.run();
      } catch (error) {
        this.onError(error);
      }
    }
    if (!this.#closed) this.#arm();
  }

  #less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  #push(entry: Entry): void {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  #pop(): Entry | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && this.#less(heap[l], heap[m])) m = l;
        if (r < heap.length && this.#less(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  }
}

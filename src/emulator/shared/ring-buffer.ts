/** A fixed-capacity log: appending beyond the capacity overwrites the oldest entry. Entries get a sequence number. */
export class RingBuffer<T> {
  readonly #items: Array<T | undefined>;
  #next = 0;
  #count = 0;
  #seq = 0;
  constructor(readonly capacity: number) {
    this.#items = new Array(capacity);
  }
  /** Appends and returns the entry's sequence number (1, 2, 3...). */
  push(item: T): number {
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.capacity;
    this.#count = Math.min(this.#count + 1, this.capacity);
    return ++this.#seq;
  }
  get size(): number {
    return this.#count;
  }
  /** Sequence number of the newest entry (0 when empty); entries older than `lastSeq - size` were overwritten. */
  get lastSeq(): number {
    return this.#seq;
  }
  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    const start = (this.#next - this.#count + this.capacity) % this.capacity;
    for (let i = 0; i < this.#count; i++) out.push(this.#items[(start + i) % this.capacity] as T);
    return out;
  }
  clear(): void {
    this.#items.fill(undefined);
    this.#next = 0;
    this.#count = 0;
  }
}

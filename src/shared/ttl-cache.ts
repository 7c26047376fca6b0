/**
 * A small cache of values loaded from the database, each kept for at most `ttlMs`, at most `max` of
 * them. It holds the loading promise, so concurrent misses share one load; a load that fails or
 * finds nothing (`undefined`) is not kept. `clear()` and `delete()` take effect for the next `get`
 * at once: a load that was in flight when they ran is not stored.
 */
export class TtlCache<K, V> {
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;
  readonly #map = new Map<K, { value: Promise<V | undefined>; until: number }>();

  constructor(ttlMs: number, max = 10_000, now: () => number = Date.now) {
    this.#ttlMs = ttlMs;
    this.#max = max;
    this.#now = now;
  }

  get(key: K, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const now = this.#now();
    const hit = this.#map.get(key);
    if (hit && hit.until > now) return hit.value;
    const entry = { value: load(), until: now + this.#ttlMs };
    this.#map.set(key, entry);
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value as K);
    const forget = () => {
      if (this.#map.get(key) === entry) this.#map.delete(key);
    };
    entry.value.then((v) => (v === undefined ? forget() : undefined), forget);
    return entry.value;
  }

  delete(key: K): void {
    this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
  }
}

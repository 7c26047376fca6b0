/**
 * A least-recently-used map with a size bound, for memoising pure functions of small inputs on hot
 * paths (phone parsing, prepared SQLite statements). Not for anything that can change underneath.
 */
export class BoundedCache<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, V>();

  constructor(max: number) {
    this.#max = max;
  }

  /** The cached value for `key`, computing and keeping it when absent. */
  through(key: K, compute: (key: K) => V): V {
    const map = this.#map;
    if (map.has(key)) {
      const hit = map.get(key) as V;
      map.delete(key);
      map.set(key, hit);
      return hit;
    }
    const value = compute(key);
    map.set(key, value);
    if (map.size > this.#max) map.delete(map.keys().next().value as K);
    return value;
  }

  /** Forgets `key` (a computed miss that must not be remembered). */
  delete(key: K): void {
    this.#map.delete(key);
  }

  get size(): number {
    return this.#map.size;
  }
}

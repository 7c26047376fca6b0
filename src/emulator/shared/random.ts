// Seeded randomness. The emulator never calls Math.random: one seed makes a run reproducible.

/** mulberry32: a small, fast PRNG with a 32-bit state; good enough for simulated probabilities. */
export class SeededRandom {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  chance(rate: number): boolean {
    return rate > 0 && this.next() < rate;
  }
  between([min, max]: readonly [number, number]): number {
    return max <= min ? min : min + Math.floor(this.next() * (max - min + 1));
  }
}

/** FNV-1a over a string: a stable 32-bit hash. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A deterministic draw in [0, 1) for a key: the same (seed, key) always gives the same number, whatever
 * happened before. Personas use it so that concurrency does not change their decisions.
 */
export function drawFor(seed: number, key: string): number {
  return new SeededRandom(hash32(`${seed}:${key}`)).next();
}

/**
 * A token bucket: `rate` tokens per second, holding at most `capacity`. Pure arithmetic over the
 * time you pass in, so it is deterministic in tests.
 */
export class TokenBucket {
  #tokens: number;
  #updatedAt: number;
  rate: number;
  capacity: number;

  constructor(rate: number, capacity: number, now: number, initial = capacity) {
    this.rate = rate;
    this.capacity = capacity;
    this.#tokens = initial;
    this.#updatedAt = now;
  }

  #refill(now: number): void {
    if (now > this.#updatedAt) {
      this.#tokens = Math.min(this.capacity, this.#tokens + ((now - this.#updatedAt) * this.rate) / 1000);
      this.#updatedAt = now;
    }
  }

  available(now: number): number {
    this.#refill(now);
    return this.#tokens;
  }

  /** Takes one token if there is one. */
  take(now: number): boolean {
    this.#refill(now);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Milliseconds until `count` whole tokens are available (0 when they are). */
  waitMs(now: number, count = 1): number {
    this.#refill(now);
    return this.#tokens >= count ? 0 : Math.ceil(((count - this.#tokens) * 1000) / this.rate);
  }

  /** Empties the bucket and keeps it empty until `until` (back-pressure from the provider). */
  drainUntil(now: number, until: number): void {
    this.#refill(now);
    this.#tokens = -((until - now) * this.rate) / 1000;
  }
}

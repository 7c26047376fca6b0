import { SECOND } from '../../shared/time.js';
import { pairDelay } from '../error-classification.js';
import { TokenBucket } from './token-bucket.js';

/**
 * Per-recipient pacing for one sender (Meta's pair rate limit: about one message every 6 s to the same
 * user, with bursts of up to 45 borrowed from future quota; 131056 beyond). Each recipient gets a
 * bucket refilling one token per 6 s, holding `burst` (below Meta's 45 for headroom). A 131056 empties
 * the recipient's bucket for 4^X seconds. Also remembers, per recipient and lane, a message waiting for
 * a retry, so later messages to that recipient in that lane do not overtake it (order per recipient).
 *
 * Memory is bounded: idle recipients whose bucket is full again are forgotten. The state lives with the
 * sender's lease holder; a worker taking a sender over starts with fresh buckets, which is why the
 * default burst (PARLEY_PAIR_BURST, 30) stays well under Meta's 45.
 *
 * A channel without a pair rate limit (`ChannelCapabilities.pairRateLimit` false) keeps only the order
 * per recipient: no bucket paces its recipients.
 */
export const PAIR_INTERVAL = 6 * SECOND;

interface PairState {
  bucket: TokenBucket;
  consecutive131056: number;
  lastUsed: number;
}

export class PairPacer {
  readonly #pairs = new Map<string, PairState>();
  readonly #blocked = new Map<string, number>();
  readonly #burst: number;
  readonly #maxEntries: number;
  readonly #pairLimited: boolean;

  constructor(burst: number, maxEntries = 200_000, pairLimited = true) {
    this.#burst = burst;
    this.#maxEntries = maxEntries;
    this.#pairLimited = pairLimited;
  }

  #state(contactId: string, now: number): PairState {
    let state = this.#pairs.get(contactId);
    if (!state) {
      state = { bucket: new TokenBucket(SECOND / PAIR_INTERVAL, this.#burst, now), consecutive131056: 0, lastUsed: now };
      this.#pairs.set(contactId, state);
      if (this.#pairs.size > this.#maxEntries) this.prune(now);
    }
    return state;
  }

  /** When this recipient may next receive a message in `lane` (now if it may now). */
  readyAt(contactId: string, lane: string, now: number): number {
    const blocked = this.#blocked.get(`${contactId} ${lane}`) ?? 0;
    const state = this.#pairs.get(contactId);
    const paced = state && this.#pairLimited ? now + state.bucket.waitMs(now) : now;
    return Math.max(blocked, paced);
  }

  take(contactId: string, now: number): boolean {
    if (!this.#pairLimited) return true;
    const state = this.#state(contactId, now);
    state.lastUsed = now;
    return state.bucket.take(now);
  }

  /** The provider said 131056 for this recipient: back off 4^X seconds. */
  onPairLimit(contactId: string, now: number): number {
    const state = this.#state(contactId, now);
    const delay = pairDelay(state.consecutive131056);
    state.consecutive131056++;
    state.bucket.drainUntil(now, now + delay);
    return now + delay;
  }

  onDelivered(contactId: string): void {
    const state = this.#pairs.get(contactId);
    if (state) state.consecutive131056 = 0;
  }

  /** Holds later messages to this recipient in this lane until `until` (a retry is pending). */
  block(contactId: string, lane: string, until: number): void {
    this.#blocked.set(`${contactId} ${lane}`, until);
  }

  unblock(contactId: string, lane: string): void {
    this.#blocked.delete(`${contactId} ${lane}`);
  }

  prune(now: number): void {
    for (const [id, state] of this.#pairs) {
      if (state.bucket.available(now) >= this.#burst && now - state.lastUsed > PAIR_INTERVAL) this.#pairs.delete(id);
    }
    for (const [key, until] of this.#blocked) if (until <= now) this.#blocked.delete(key);
  }

  get size(): number {
    return this.#pairs.size;
  }
}

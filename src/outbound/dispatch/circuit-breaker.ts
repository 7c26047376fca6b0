import { SECOND } from '../../shared/time.js';

/**
 * Terminology
 * - outage-class failure: the provider could not be reached or failed as a whole (network error,
 *   timeout, HTTP 5xx, Graph codes 1, 2 and 131016): nothing about the message itself was wrong.
 * - per-message fault: any other error answer (a bad parameter, an unknown template, a closed window,
 *   a pair limit...): the provider is reachable; the message's own attempts count.
 *
 * States of one sender's breaker:
 * - closed: sending normally.
 * - open: the provider is considered unreachable; nothing of this sender is claimed until `retryAt`.
 * - half_open: `retryAt` passed; exactly one message is claimed as a probe. Any answer that is not an
 *   outage-class failure closes the breaker; an outage-class failure opens it again with a longer wait.
 */
export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * What the API, `/metrics`, `/readyz` and `sender.health` events say about a sender. The breaker gives
 * the first three; `unauthenticated` comes from the UltraMsg instance watch (`instance-watch.ts`) and
 * `paused` from the sender being disabled.
 */
export const SENDER_HEALTH_STATES = ['ok', 'degraded', 'unreachable', 'unauthenticated', 'paused'] as const;
export type SenderHealthState = (typeof SENDER_HEALTH_STATES)[number];

export interface BreakerOptions {
  /** Consecutive outage-class failures that open the breaker. */
  failureThreshold: number;
  /** Length of the sliding window the failure rate is measured over. */
  windowMs: number;
  /** Outage-class share of the window's outcomes that opens the breaker (with at least `rateMinSamples`). */
  tripRate: number;
  rateMinSamples: number;
  /** Outage-class share of the window's outcomes (with at least `degradedMinFailures`) that reports `degraded`. */
  degradedRate: number;
  degradedMinFailures: number;
  /** First wait before a probe; doubles per failed probe up to `maxProbeDelayMs`. */
  probeDelayMs: number;
  maxProbeDelayMs: number;
}

export const DEFAULT_BREAKER_OPTIONS: BreakerOptions = {
  failureThreshold: 5,
  windowMs: 10 * SECOND,
  tripRate: 0.5,
  rateMinSamples: 20,
  degradedRate: 0.2,
  degradedMinFailures: 3,
  probeDelayMs: 1 * SECOND,
  maxProbeDelayMs: 30 * SECOND,
};

const BUCKETS = 10;

/**
 * The circuit breaker of one sender, kept in memory by the dispatcher holding the sender's lease.
 * Pure policy: the caller passes the time, so it follows the context's clock.
 */
export class CircuitBreaker {
  readonly options: BreakerOptions;
  #state: BreakerState = 'closed';
  #consecutive = 0;
  /** Failed probes in a row since the breaker last closed: the probe delay grows with them. */
  #failedProbes = 0;
  #retryAt = 0;
  #probeInFlight = false;
  #openedAt = 0;
  #lastFailure = '';
  // Sliding window of outcomes in BUCKETS buckets: [bucket start, outage failures, other outcomes].
  readonly #window: Array<{ start: number; failed: number; other: number }> = [];

  constructor(options: Partial<BreakerOptions> = {}) {
    this.options = { ...DEFAULT_BREAKER_OPTIONS, ...options };
  }

  get state(): BreakerState {
    return this.#state;
  }
  get retryAt(): number {
    return this.#retryAt;
  }
  get openedAt(): number {
    return this.#openedAt;
  }
  get lastFailure(): string {
    return this.#lastFailure;
  }

  /**
   * How many messages may be claimed now: unlimited when closed; one probe when open and its wait is
   * over (and no probe is out); none otherwise.
   */
  allowance(now: number): number {
    if (this.#state === 'closed') return Number.POSITIVE_INFINITY;
    if (this.#probeInFlight || now < this.#retryAt) return 0;
    return 1;
  }

  /**
   * Starts open with a probe due at once: the sender was recorded unreachable by the worker that held
   * it before (a lease handover in the middle of an outage does not start over with full traffic).
   */
  resumeOpen(now: number, description: string): void {
    this.#state = 'open';
    this.#openedAt = now;
    this.#retryAt = now;
    this.#lastFailure = description;
  }

  /** The caller claimed a probe (after `allowance` gave 1). */
  probeStarted(): void {
    if (this.#state === 'closed') return;
    this.#state = 'half_open';
    this.#probeInFlight = true;
  }

  /** The caller could not claim anything for the probe (nothing due): try again at the next round. */
  probeSkipped(): void {
    this.#probeInFlight = false;
  }

  /** The provider answered (success or a per-message fault): it is reachable. */
  recordReachable(now: number): void {
    this.#bucket(now).other++;
    this.#consecutive = 0;
    if (this.#state !== 'closed') {
      this.#state = 'closed';
      this.#failedProbes = 0;
      this.#probeInFlight = false;
      this.#retryAt = 0;
    }
  }

  /**
   * An outage-class failure (`probe`: of the probe message). Returns true when the breaker is open
   * (tripped by this failure, or already): the caller then hands the message back without counting
   * the attempt. A late failure of a message sent before the trip does not end a probe.
   */
  recordOutage(now: number, description: string, probe = false): boolean {
    this.#bucket(now).failed++;
    this.#consecutive++;
    this.#lastFailure = description;
    if (probe && this.#state === 'half_open') {
      this.#failedProbes++;
      this.#open(now);
      return true;
    }
    if (this.#state !== 'closed') return true;
    const { failed, total } = this.#counts(now);
    if (this.#consecutive >= this.options.failureThreshold || (total >= this.options.rateMinSamples && failed / total >= this.options.tripRate)) {
      this.#open(now);
      return true;
    }
    return false;
  }

  health(now: number): SenderHealthState {
    if (this.#state !== 'closed') return 'unreachable';
    const { failed, total } = this.#counts(now);
    if (failed >= this.options.degradedMinFailures && failed / total >= this.options.degradedRate) return 'degraded';
    return 'ok';
  }

  #open(now: number): void {
    if (this.#state === 'closed') this.#openedAt = now;
    this.#state = 'open';
    this.#probeInFlight = false;
    const delay = Math.min(this.options.maxProbeDelayMs, this.options.probeDelayMs * 2 ** Math.max(0, this.#failedProbes - 1));
    this.#retryAt = now + delay;
  }

  #bucket(now: number) {
    const width = this.options.windowMs / BUCKETS;
    const start = Math.floor(now / width) * width;
    const last = this.#window.at(-1);
    if (last && last.start === start) return last;
    const fresh = { start, failed: 0, other: 0 };
    this.#window.push(fresh);
    this.#trim(now);
    return fresh;
  }

  #trim(now: number): void {
    while (this.#window.length && this.#window[0].start <= now - this.options.windowMs) this.#window.shift();
  }

  #counts(now: number): { failed: number; total: number } {
    this.#trim(now);
    let failed = 0;
    let total = 0;
    for (const b of this.#window) {
      failed += b.failed;
      total += b.failed + b.other;
    }
    return { failed, total };
  }
}

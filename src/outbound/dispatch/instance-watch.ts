import { MINUTE, SECOND } from '../../shared/time.js';
import type { LinkedSession, SessionStatus } from '../../channels/port.js';

/** While the instance is not authenticated, it is checked at least this often, so traffic resumes soon after a scan. */
export const HELD_CHECK_MS = 5 * SECOND;
/** Failed checks (network, HTTP 5xx, a wrong token) back off up to this. */
export const MAX_CHECK_BACKOFF_MS = 5 * MINUTE;

/**
 * When to check one linked session (UltraMsg's instance: `instance/status`) and what the last answer said, in the
 * memory of the worker holding the sender's lease (beside its circuit breaker). Pure: the caller does
 * the HTTP call and passes the time.
 * - `held`: the last answer was not `authenticated`: the sender claims nothing (its messages stay queued,
 *   no attempt counted) and its health is `unauthenticated`;
 * - a failed check changes nothing but the time of the next one (the send path reports outages);
 * - checks: every `intervalMs`; every `HELD_CHECK_MS` at most while held; after n failures in a row,
 *   `intervalMs × 2^(n-1)` up to `MAX_CHECK_BACKOFF_MS`.
 */
export class InstanceWatch {
  held = false;
  /** Why the sender is held (the health reason); null when it is not. */
  reason: string | null = null;
  status?: SessionStatus;
  nextCheckAt: number;
  failures = 0;
  checking = false;

  constructor(
    readonly senderId: string,
    readonly intervalMs: number,
    now: number,
    private readonly attention: LinkedSession['attention'],
  ) {
    this.nextCheckAt = now;
  }

  due(now: number): boolean {
    return !this.checking && now >= this.nextCheckAt;
  }

  /** A worker taking the sender over where the last one saw it unauthenticated holds until its own check says otherwise. */
  resumeHeld(reason: string | null): void {
    this.held = true;
    this.reason = reason ?? 'The UltraMsg instance was not authenticated when last checked; its messages wait in the queue.';
  }

  /** Applies an answer; returns whether the hold was lifted by it. */
  onStatus(status: SessionStatus, now: number): boolean {
    const wasHeld = this.held;
    this.status = status;
    this.failures = 0;
    this.reason = this.attention(status, this.senderId);
    this.held = this.reason !== null;
    this.nextCheckAt = now + (this.held ? Math.min(this.intervalMs, HELD_CHECK_MS) : this.intervalMs);
    return wasHeld && !this.held;
  }

  onError(now: number): void {
    this.failures++;
    const base = this.held ? Math.min(this.intervalMs, HELD_CHECK_MS) : this.intervalMs;
    this.nextCheckAt = now + Math.min(MAX_CHECK_BACKOFF_MS, base * 2 ** Math.min(this.failures - 1, 20));
  }
}

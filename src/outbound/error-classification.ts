import { MINUTE, SECOND } from '../shared/time.js';

/**
 * The retry policy shared by every channel: how many attempts, how long to back off, how long to hold
 * a recipient after pair-limit errors. Which action an error calls for is the adapter's to say
 * (`ChannelAdapter.classifyError`, the tables in `channels/<provider>/errors.ts`).
 */
export type { ErrorAction } from '../channels/port.js';

export const MAX_ATTEMPTS = 8;

/**
 * Exponential backoff with "equal jitter": half the delay fixed, half random, so retries spread out
 * but never collapse to zero. `random` is injectable for tests.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random, baseMs = 1 * SECOND, capMs = 5 * MINUTE): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Meta's advice for 131056: wait 4^X seconds, X the number of consecutive pair-limit errors (capped at 4). */
export const pairDelay = (consecutive: number): number => 4 ** Math.min(4, Math.max(0, consecutive)) * SECOND;

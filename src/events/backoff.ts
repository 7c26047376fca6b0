import { HOUR, SECOND } from '../shared/time.js';

export const RETRY_BASE = 10 * SECOND;
export const RETRY_CAP = 1 * HOUR;

/**
 * Delay before retrying after the given (1-based) failed attempt: exponential (10 s, 20 s, 40 s, ...,
 * at most an hour) with "equal jitter" (between half and all of it), so receivers coming back up are
 * not hit by every retry at once. `random` is in [0, 1).
 */
export function retryDelay(attempt: number, random: number): number {
  const exponential = Math.min(RETRY_CAP, RETRY_BASE * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random);
}

import { MINUTE, SECOND } from '../../shared/time.js';

/**
 * How far Parley's clock may be ahead of the provider's before a webhook looks older than a fact Parley
 * observed itself.
 */
export const CLOCK_SKEW_ALLOWANCE = 1 * MINUTE;

/**
 * The time to record for a fact Parley observed itself (a create response, a poll) rather than one the
 * provider stamped. Meta stamps webhooks in whole seconds with its own clock, so a webhook about a change
 * that happened just after our observation can carry an earlier time than our clock read. Stamping our
 * observations back by the skew allowance keeps such a webhook from being ignored as stale; a webhook that
 * really is older than a poll and slips through is corrected by the next poll.
 */
export const observedAt = (now: number): number => Math.floor(now / SECOND) * SECOND - CLOCK_SKEW_ALLOWANCE;

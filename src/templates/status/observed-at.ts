import { MINUTE, SECOND } from '../../shared/time.js';

/**
 * How far Parley's clock may be ahead of the provider's before a webhook looks older than a fact Parley
 * observed itself.
 */
export const CLOCK_SKEW_ALLOWANCE = 1 * MINUTE;

/**
 * The time to record for a fact Parley observed itself (a create response, a poll) rather than one the
 * provider stamped. Meta stamps webhooks in whole seconds with its own clock, so a webhook about a change
 * that happened just after our observation can carry an earlier time than our clock read: stamping our
 * observation back by the skew allowance keeps such a webhook from being ignored as stale (a webhook
 * really older than a poll that slips through is corrected by the next poll). Our observation still
 * comes after every fact the template already reflects (`after`): a submission or a poll happens after
 * the webhooks we have received, so it must not look older than them.
 */
export const observedAt = (now: number, after: number | null): number => Math.max(Math.floor(now / SECOND) * SECOND - CLOCK_SKEW_ALLOWANCE, after === null ? -Infinity : after + 1);

import { SECOND } from '../../shared/time.js';

/**
 * The time to record for a fact Parley observed itself (a create response, a poll) rather than one the
 * provider stamped. Meta stamps webhooks in whole seconds, so a webhook about a change that happened
 * just after our observation can carry the same second; stamping our observation at the end of the
 * previous second keeps such a webhook from looking older than it is.
 */
export const observedAt = (now: number): number => Math.floor(now / SECOND) * SECOND - 1;

import { HOUR, MINUTE, SECOND } from '../shared/time.js';
import type { ProviderError } from '../channels/port.js';
import type { SuppressionScope } from '../suppressions/suppression-queries.js';

/**
 * What the dispatcher does after a provider error, keyed on Meta's `code` (never on the HTTP status,
 * which Meta's sources disagree about) or on the adapter's code for UltraMsg and transport failures.
 *
 * - retry: transient; back off exponentially with jitter, up to MAX_ATTEMPTS.
 * - throttle: the sender is over its throughput (130429); slow the sender down and requeue the message
 *   without counting an attempt.
 * - pair_delay: too many messages to this recipient (131056); hold this recipient only, 4^X seconds.
 * - window_closed: free-form outside the 24-hour window (131047, legacy 470); send a template instead.
 * - retry_later: retry after a long, fixed delay (131049 per-user marketing cap: hours; 131057 upgrade: a minute).
 * - permanent: do not retry; the message fails with the reason. `suppress` adds the contact to a
 *   suppression list (131050: the user stopped marketing).
 */
export type ErrorAction =
  | { action: 'retry'; reason: string; maxAttempts?: number }
  | { action: 'throttle'; reason: string }
  | { action: 'pair_delay'; reason: string }
  | { action: 'window_closed'; reason: string }
  | { action: 'retry_later'; reason: string; delayMs: number; maxAttempts: number }
  | { action: 'permanent'; reason: string; suppress?: SuppressionScope };

export const MAX_ATTEMPTS = 8;

const TRANSIENT = new Set(['1', '2', '4', '80007', '131000', '131016', 'network', 'timeout', 'malformed_response', 'ultramsg_rate']);
const PERMANENT_REASONS: Record<string, string> = {
  '0': 'The access token could not be authenticated; refresh the sender credentials.',
  '3': 'The token lacks a capability or permission.',
  '10': 'Permission denied for this token.',
  '100': 'Invalid parameter in the request.',
  '190': 'The access token has expired; update the sender credentials.',
  '368': 'The number is temporarily blocked for policy violations.',
  '130472': 'The user is in Meta\'s marketing-message experiment; resending gives the same error.',
  '130497': 'The business account may not message users in this country.',
  '131005': 'Access denied.',
  '131008': 'A required parameter is missing.',
  '131009': 'A parameter value is not valid.',
  '131021': 'The recipient cannot be the sender.',
  '131026': 'The message is undeliverable to this number (not on WhatsApp, old app, terms not accepted, or capped).',
  '131030': 'The recipient is not in the test number\'s allowed list.',
  '131031': 'The business account is locked.',
  '131037': 'The display name is not approved.',
  '131042': 'Business eligibility or payment issue; fix billing.',
  '131045': 'Phone number registration error (certificate).',
  '131048': 'Spam rate limit: many earlier messages were blocked or flagged; check quality and pause campaigns.',
  '131051': 'Unsupported message type.',
  '132000': 'The number of template parameters does not match the template.',
  '132001': 'The template does not exist in this language or is not approved.',
  '132005': 'The template text is too long after filling in the parameters.',
  '132007': 'The template content violates a WhatsApp policy.',
  '132008': 'A template parameter value is invalid.',
  '132012': 'A template parameter has the wrong format.',
  '132015': 'The template is paused for low quality.',
  '132016': 'The template is disabled.',
  '132068': 'The flow is blocked.',
  '135000': 'Generic user error.',
  ultramsg_auth: 'UltraMsg rejected the token; update the sender credentials.',
  ultramsg_instance: 'The UltraMsg instance was not found or is not ready.',
  ultramsg_suspended: 'The UltraMsg instance is stopped (payment or expiry).',
  ultramsg_invalid: 'UltraMsg rejected the message as invalid.',
  ultramsg_unsupported: 'UltraMsg cannot send this kind of message.',
  // UltraMsg's queue states (channels/ultramsg/queue-status.ts), when they come back as errors.
  ultramsg_number_invalid: 'UltraMsg marked the number invalid: wrong, or not on WhatsApp.',
  ultramsg_unsent: 'UltraMsg could not send the message (a content error, or its queue was cleared).',
  ultramsg_expired: 'UltraMsg did not send the message within 24 hours; Parley never sends late.',
};

/** Meta's codes for a free-form message outside the 24-hour window: 131047, and the legacy 470. */
export const isWindowClosedCode = (code: string | null | undefined): boolean => code === '131047' || code === '470';

export const WINDOW_CLOSED_REASON = 'More than 24 hours since the customer last wrote: free-form messages are not allowed (131047).';

export function classifyProviderError(error: Pick<ProviderError, 'code' | 'title'>): ErrorAction {
  const code = error.code;
  if (code === '130429') return { action: 'throttle', reason: 'The sender hit its throughput limit (130429).' };
  if (code === '131056') return { action: 'pair_delay', reason: 'Too many messages to this recipient in a short time (131056).' };
  if (isWindowClosedCode(code)) return { action: 'window_closed', reason: WINDOW_CLOSED_REASON };
  if (code === '131049') return { action: 'retry_later', reason: 'Meta limited marketing messages to this user (131049); retrying hours later.', delayMs: 6 * HOUR, maxAttempts: 3 };
  if (code === '131057') return { action: 'retry_later', reason: 'The business account is in maintenance (131057), e.g. a throughput upgrade.', delayMs: 1 * MINUTE, maxAttempts: 5 };
  if (code === '133016' || code === '132069') return { action: 'retry_later', reason: `Provider asked to retry later (${code}).`, delayMs: 1 * HOUR, maxAttempts: 3 };
  if (code === '131052' || code === '131053') return { action: 'retry', reason: `Media error (${code}); retrying once.`, maxAttempts: 2 };
  if (code === '131050') return { action: 'permanent', reason: 'The user stopped marketing messages from this business (131050).', suppress: 'marketing' };
  if (TRANSIENT.has(code) || /^http_5\d\d$/.test(code) || code === 'http_429') return { action: 'retry', reason: `Transient provider error (${code}): ${error.title}` };
  const known = PERMANENT_REASONS[code];
  if (known) return { action: 'permanent', reason: `${known} (${code})` };
  if (/^2\d\d$/.test(code)) return { action: 'permanent', reason: `API permission not granted or removed (${code}).` };
  return { action: 'permanent', reason: `Unclassified provider error ${code}: ${error.title}` };
}

/**
 * Outage-class errors: the provider could not be reached or failed as a whole (network, timeout, HTTP
 * 5xx, Graph 1 "unknown error", 2 "service temporarily unavailable", 131016 "service unavailable").
 * They say nothing about the message, so they feed the sender's circuit breaker instead of counting
 * against the message's attempts once the breaker has opened (dispatch/circuit-breaker.ts).
 */
const OUTAGE = new Set(['network', 'timeout', '1', '2', '131016']);

export function isOutageError(error: Pick<ProviderError, 'code'>): boolean {
  return OUTAGE.has(error.code) || /^http_5\d\d$/.test(error.code);
}

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

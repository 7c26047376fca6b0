import { HOUR, MINUTE } from '../../shared/time.js';
import type { ProviderError } from '../port.js';
import { classifyTransportError, isTransportOutage, isWindowClosedCode, unclassified, WINDOW_CLOSED_REASON, type ErrorAction } from '../errors.js';

/**
 * Meta's error codes (Graph API and Cloud API, see the protocol notes) and what the dispatcher does
 * about each. Unknown codes are permanent.
 */
const TRANSIENT = new Set(['1', '2', '4', '80007', '131000', '131016']);

/** Permanent codes with the reason the message fails with. */
export const CLOUD_PERMANENT_REASONS: Readonly<Record<string, string>> = {
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
};

export function classifyCloudError(error: Pick<ProviderError, 'code' | 'title'>): ErrorAction {
  const code = error.code;
  if (code === '130429') return { action: 'throttle', reason: 'The sender hit its throughput limit (130429).' };
  if (code === '131056') return { action: 'pair_delay', reason: 'Too many messages to this recipient in a short time (131056).' };
  if (isWindowClosedCode(code)) return { action: 'window_closed', reason: WINDOW_CLOSED_REASON };
  if (code === '131049') return { action: 'retry_later', reason: 'Meta limited marketing messages to this user (131049); retrying hours later.', delayMs: 6 * HOUR, maxAttempts: 3 };
  if (code === '131057') return { action: 'retry_later', reason: 'The business account is in maintenance (131057), e.g. a throughput upgrade.', delayMs: 1 * MINUTE, maxAttempts: 5 };
  if (code === '133016' || code === '132069') return { action: 'retry_later', reason: `Provider asked to retry later (${code}).`, delayMs: 1 * HOUR, maxAttempts: 3 };
  if (code === '131052' || code === '131053') return { action: 'retry', reason: `Media error (${code}); retrying once.`, maxAttempts: 2 };
  if (code === '131050') return { action: 'permanent', reason: 'The user stopped marketing messages from this business (131050).', suppress: 'marketing' };
  if (TRANSIENT.has(code)) return { action: 'retry', reason: `Transient provider error (${code}): ${error.title}` };
  const transport = classifyTransportError(error);
  if (transport) return transport;
  const known = CLOUD_PERMANENT_REASONS[code];
  if (known) return { action: 'permanent', reason: `${known} (${code})` };
  if (/^2\d\d$/.test(code)) return { action: 'permanent', reason: `API permission not granted or removed (${code}).` };
  return unclassified(error);
}

/**
 * Outage-class errors: the Cloud API could not be reached or failed as a whole (network, timeout, HTTP
 * 5xx, Graph 1 "unknown error", 2 "service temporarily unavailable", 131016 "service unavailable").
 * They say nothing about the message, so they feed the sender's circuit breaker instead of counting
 * against the message's attempts once the breaker has opened (outbound/dispatch/circuit-breaker.ts).
 */
const OUTAGE = new Set(['1', '2', '131016']);

export const isCloudOutage = (error: Pick<ProviderError, 'code'>): boolean => OUTAGE.has(error.code) || isTransportOutage(error);

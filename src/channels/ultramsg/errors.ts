import type { ProviderError } from '../port.js';
import { classifyTransportError, isTransportOutage, unclassified, type ErrorAction } from '../errors.js';

/**
 * UltraMsg's error classes (the adapter turns its free-text errors into these codes, see
 * client/ultramsg-error.ts) and what the dispatcher does about each. Unknown codes are permanent.
 */
const TRANSIENT = new Set(['ultramsg_rate']);

/** Permanent classes with the reason the message fails with. */
export const ULTRAMSG_PERMANENT_REASONS: Readonly<Record<string, string>> = {
  ultramsg_auth: 'UltraMsg rejected the token; update the sender credentials.',
  ultramsg_instance: 'The UltraMsg instance was not found or is not ready.',
  ultramsg_suspended: 'The UltraMsg instance is stopped (payment or expiry).',
  ultramsg_invalid: 'UltraMsg rejected the message as invalid.',
  ultramsg_unsupported: 'UltraMsg cannot send this kind of message.',
  // UltraMsg's queue states (queue-status.ts), when they come back as errors.
  ultramsg_number_invalid: 'UltraMsg marked the number invalid: wrong, or not on WhatsApp.',
  ultramsg_unsent: 'UltraMsg could not send the message (a content error, or its queue was cleared).',
  ultramsg_expired: 'UltraMsg did not send the message within 24 hours; Parley never sends late.',
};

export function classifyUltraMsgError(error: Pick<ProviderError, 'code' | 'title'>): ErrorAction {
  const code = error.code;
  if (TRANSIENT.has(code)) return { action: 'retry', reason: `Transient provider error (${code}): ${error.title}` };
  const transport = classifyTransportError(error);
  if (transport) return transport;
  const known = ULTRAMSG_PERMANENT_REASONS[code];
  if (known) return { action: 'permanent', reason: `${known} (${code})` };
  return unclassified(error);
}

/** UltraMsg fails as a whole only at the transport (network, timeout, HTTP 5xx). */
export const isUltraMsgOutage = (error: Pick<ProviderError, 'code'>): boolean => isTransportOutage(error);

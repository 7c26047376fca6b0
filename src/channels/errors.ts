import type { SuppressionScope } from '../suppressions/suppression-queries.js';

/**
 * What the dispatcher does after a provider error. Each adapter classifies its own errors
 * (`ChannelAdapter.classifyError`, keyed on the provider's code, never on the HTTP status, which
 * Meta's sources disagree about); transport failures are classified alike for every adapter here.
 *
 * - retry: transient; back off exponentially with jitter, up to MAX_ATTEMPTS.
 * - throttle: the sender is over its throughput (Meta 130429); slow the sender down and requeue the
 *   message without counting an attempt.
 * - pair_delay: too many messages to this recipient (Meta 131056); hold this recipient only, 4^X seconds.
 * - window_closed: free-form outside the 24-hour window (Meta 131047, legacy 470); send a template instead.
 * - retry_later: retry after a long, fixed delay (Meta 131049 per-user marketing cap: hours; 131057 upgrade: a minute).
 * - permanent: do not retry; the message fails with the reason. `suppress` adds the contact to a
 *   suppression list (Meta 131050: the user stopped marketing).
 */
export type ErrorAction =
  | { action: 'retry'; reason: string; maxAttempts?: number }
  | { action: 'throttle'; reason: string }
  | { action: 'pair_delay'; reason: string }
  | { action: 'window_closed'; reason: string }
  | { action: 'retry_later'; reason: string; delayMs: number; maxAttempts: number }
  | { action: 'permanent'; reason: string; suppress?: SuppressionScope };

/** Codes the adapters give transport failures: the same for every provider. */
const TRANSPORT_TRANSIENT = new Set(['network', 'timeout', 'malformed_response']);

/** A transport failure every adapter reports alike (network, timeout, HTTP 5xx or 429), or undefined. */
export function classifyTransportError(error: { code: string; title: string }): ErrorAction | undefined {
  const code = error.code;
  if (TRANSPORT_TRANSIENT.has(code) || /^http_5\d\d$/.test(code) || code === 'http_429') return { action: 'retry', reason: `Transient provider error (${code}): ${error.title}` };
  return undefined;
}

/** Whether a transport failure says the provider as a whole is unreachable or failing (network, timeout, HTTP 5xx). */
export const isTransportOutage = (error: { code: string }): boolean =>
  error.code === 'network' || error.code === 'timeout' || /^http_5\d\d$/.test(error.code);

/** An error no table knows: permanent, with the provider's code and title. */
export const unclassified = (error: { code: string; title: string }): ErrorAction => ({
  action: 'permanent',
  reason: `Unclassified provider error ${error.code}: ${error.title}`,
});

/**
 * Meta's codes for a free-form message outside the 24-hour window: 131047, and the legacy 470. Stored
 * error codes are matched against them wherever a message failed for the window (only channels with
 * a 24-hour window report them).
 */
export const isWindowClosedCode = (code: string | null | undefined): boolean => code === '131047' || code === '470';

export const WINDOW_CLOSED_REASON = 'More than 24 hours since the customer last wrote: free-form messages are not allowed (131047).';

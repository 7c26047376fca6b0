import type { CustomerConfig } from '../types.js';

/**
 * What the customer's own state says about a send; both arrive as `failed` status webhooks, like Meta:
 * - 131026: not on WhatsApp (configured undeliverable, a blocked business, or a number under one of the
 *   `undeliverablePrefixes`);
 * - 131050: the customer stopped marketing messages from this business (marketing templates only).
 */
export function recipientFailure(customer: Pick<CustomerConfig, 'undeliverable' | 'blocked' | 'optedOutOfMarketing'> | undefined, waId: string, undeliverablePrefixes: readonly string[], isMarketing: boolean): 131026 | 131050 | null {
  if (customer?.undeliverable || customer?.blocked) return 131026;
  if (undeliverablePrefixes.some((prefix) => waId.startsWith(prefix))) return 131026;
  if (isMarketing && customer?.optedOutOfMarketing) return 131050;
  return null;
}

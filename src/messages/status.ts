/**
 * The status state machine of a message, as pure data and functions.
 *
 * Outbound: scheduled → queued → sending → accepted → sent → delivered → read, and terminal failures.
 * `sending` means claimed by a dispatcher and possibly in flight to the provider; `accepted` means the
 * provider answered with its id (Meta's 200 is not yet `sent`: that arrives by webhook).
 * Inbound:  received → read (when Parley marks it read).
 *
 * Providers deliver statuses late, twice and out of order. A status applies only when its rank is
 * higher than the current one, so a late `delivered` never overwrites `read`. `failed` outranks
 * `sending`/`sent` (Meta may fail a message after `sent`), but not `delivered` or `read`: a failure
 * report for a message the customer already has is kept as an event, not as the status.
 * `expired`, `cancelled` and `refused` are decided by Parley before the provider has the message.
 */
export const MESSAGE_STATUSES = [
  'scheduled',
  'queued',
  'sending',
  'accepted',
  'sent',
  'delivered',
  'read',
  'failed',
  'expired',
  'cancelled',
  'refused',
  'received',
] as const;

export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const STATUS_RANK: Record<MessageStatus, number> = {
  scheduled: 0,
  queued: 10,
  sending: 20,
  accepted: 25,
  sent: 30,
  failed: 35,
  delivered: 40,
  read: 50,
  received: 40,
  expired: 60,
  cancelled: 60,
  refused: 60,
};

/** Statuses after which Parley does nothing more with the message (no send, no retry). */
export const FINAL_STATUSES: ReadonlySet<MessageStatus> = new Set(['accepted', 'sent', 'delivered', 'read', 'failed', 'expired', 'cancelled', 'refused']);

/** Statuses a provider can report for an outbound message. */
export const PROVIDER_STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;
export type ProviderStatus = (typeof PROVIDER_STATUSES)[number];

/** True when moving from `current` to `next` is progress (never backwards, never sideways). */
export function advances(current: MessageStatus, next: MessageStatus): boolean {
  return STATUS_RANK[next] > STATUS_RANK[current];
}

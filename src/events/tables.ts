import type { Generated } from 'kysely';

/**
 * Terminology
 * - event: a fact Parley tells business systems about (`message.status`, `message.inbound`, ...),
 *   written to the outbox by `publishEvent()` in the transaction that made it true.
 * - subscription: a workspace's URL, the event types it wants, and the secret its deliveries are
 *   signed with (`Parley-Signature`, see `events/signature.ts`).
 * - delivery: one event to one subscription. `pending` until the target answers 2xx (`delivered`);
 *   failures are retried with exponential backoff and jitter until the event is older than the
 *   maximum age, then the delivery is `dead`: listed in the dead-letter list and replayable.
 * - private target: a URL whose host is, or resolves to, a private, loopback or link-local address;
 *   refused unless the operator allows them.
 */
export type DeliveryState = 'pending' | 'delivered' | 'dead';

export interface EventSubscriptionsTable {
  id: string;
  workspace_id: string;
  url: string;
  /** JSON array of event types. */
  event_types: string;
  /** Encrypted signing secret. */
  secret: string;
  description: string | null;
  /** 1 or 0. */
  enabled: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface EventOutboxTable {
  id: string;
  workspace_id: string;
  type: string;
  /** JSON of the event's `data`. */
  payload: string;
  created_at: number;
}

export interface EventDeliveriesTable {
  id: string;
  event_id: string;
  subscription_id: string;
  workspace_id: string;
  state: DeliveryState;
  attempts: Generated<number>;
  /** When the delivery is due. Claiming pushes it one lease ahead, so a crashed worker's claim comes due again. */
  next_attempt_at: number;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: number | null;
  created_at: number;
  updated_at: number;
}

import type { ColumnType, Generated } from 'kysely';

/** A nullable column that inserts may leave out (added by a later migration). */
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;

/**
 * Terminology
 * - event: a fact Parley tells business systems about (`message.status`, `message.inbound`, ...),
 *   written to the outbox by `publishEvent()` in the transaction that made it true.
 * - subscription: a workspace's URL, the event types it wants, and the secret its deliveries are
 *   signed with (`Parley-Signature`, see `net/signature.ts`).
 * - delivery: one event to one subscription. `pending` until the target answers 2xx (`delivered`);
 *   failures are retried with exponential backoff and jitter until the event is older than the
 *   maximum age, then the delivery is `dead`: listed in the dead-letter list and replayable.
 * - private target: a URL whose host is, or resolves to, a private, loopback or link-local address;
 *   refused unless the operator allows them.
 * - ordering key: the resource an event is about (`message:<id>`, `conversation:<sender>:<contact>`);
 *   its events carry increasing sequence numbers and reach each subscription in that order.
 * - waiting: a delivery behind an earlier, unfinished delivery of the same ordering key to the same
 *   subscription; it becomes `pending` when that one is delivered or dead.
 */
export type DeliveryState = 'waiting' | 'pending' | 'delivered' | 'dead';

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
  ordering_key: Optional<string>;
  /** Increasing per ordering key (`event_sequences`). */
  sequence: Optional<number>;
  created_at: number;
}

/** The last sequence number given to each ordering key. */
export interface EventSequencesTable {
  ordering_key: string;
  last_sequence: number;
  updated_at: number;
}

export interface EventDeliveriesTable {
  id: string;
  event_id: string;
  subscription_id: string;
  workspace_id: string;
  state: DeliveryState;
  /** Copied from the event, for "is an earlier delivery of this resource still open?". */
  ordering_key: Optional<string>;
  sequence: Optional<number>;
  attempts: Generated<number>;
  /** When the delivery is due. Claiming pushes it one lease ahead, so a crashed worker's claim comes due again. */
  next_attempt_at: number;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: number | null;
  created_at: number;
  updated_at: number;
}

// The tables this module owns, registered in the database type (`db/schema.ts`).
declare module '../db/schema.js' {
  interface Database {
    event_subscriptions: EventSubscriptionsTable;
    event_outbox: EventOutboxTable;
    event_sequences: EventSequencesTable;
    event_deliveries: EventDeliveriesTable;
  }
}

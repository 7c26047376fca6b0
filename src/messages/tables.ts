import type { Generated } from 'kysely';
import type { MessageStatus } from './status.js';

/**
 * Terminology
 * - message: one outbound or inbound message on one channel. Outbound messages are also the outbox:
 *   the dispatcher claims `queued` rows whose `next_attempt_at` is due.
 * - lane: the lane of an outbound message (`otp` > `transactional` > `conversation` > `marketing`);
 *   `lane_priority` is its rank, 0 highest.
 * - content: the encrypted JSON payload (text body, template parameters, media, ...).
 * - status / status_rank: see `messages/status.ts`; the rank only moves up (monotonic).
 * - provider id: the provider's id of the message (`wamid.…`, UltraMsg's id). It carries the customer's
 *   number, so it is stored as `provider_id_hash` (a keyed hash, `messages/provider-ids.ts`: unique, so a
 *   redelivered inbound message or a second store of the same send is refused by the schema) and
 *   `provider_id_sealed` (encrypted with the workspace's data key: for quoting, reacting, the API).
 * - provider alt id: a second provider id of the same message, stored alike (`provider_alt_id_hash`,
 *   `provider_alt_id_sealed`): UltraMsg answers a send with a numeric id but names the message in its
 *   webhooks by the WhatsApp id, which Parley learns afterwards (decision 0007).
 * - message event: an append-only history row: a status change, a decision of the policy gates, an
 *   attempt, a provider error.
 * - dead letter: a message that ended without being delivered, with the reason; listed through the API.
 */
export interface MessagesTable {
  id: string;
  workspace_id: string;
  direction: 'outbound' | 'inbound';
  channel: Generated<string>;
  sender_id: string | null;
  contact_id: string | null;
  lane: string | null;
  lane_priority: number;
  type: string;
  content: string | null;
  template_name: string | null;
  template_language: string | null;
  intent: string | null;
  status: MessageStatus;
  status_rank: number;
  status_at: number;
  /** The provider's id, encrypted (`v1.…`). Erasure sets it to null. */
  provider_id_sealed: string | null;
  /** Keyed hash of the provider's id: what matching uses. Erasure sets it to null. */
  provider_id_hash: string | null;
  /** The provider's second id of the message, encrypted (UltraMsg: the WhatsApp id `true_…@c.us_…`; decision 0007). Erasure sets it to null. */
  provider_alt_id_sealed: string | null;
  /** Keyed hash of the second id (unique): what UltraMsg acks naming only `data.id`, and replies quoting the message, match on. */
  provider_alt_id_hash: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  send_at: number;
  valid_until: number | null;
  next_attempt_at: number;
  attempts: Generated<number>;
  claimed_by: string | null;
  claimed_at: number | null;
  error_code: string | null;
  error_message: string | null;
  metadata: Generated<string>;
  reply_to: string | null;
  created_at: number;
  updated_at: number;
}

export interface MessageEventsTable {
  seq: Generated<number>;
  message_id: string;
  /** `status` | `decision` | `attempt` | `error` | `pricing`. */
  kind: string;
  status: string | null;
  at: number;
  /** JSON object with the specifics (gate results, error code and title, pricing, ...). */
  detail: Generated<string>;
}

/** An UltraMsg send still without a delivery receipt, looked up in the instance's message list (decision 0007). */
export interface ReceiptChecksTable {
  message_id: string;
  /** Look-ups done so far. */
  checks: number;
  next_check_at: number;
  created_at: number;
}

export interface DeadLettersTable {
  message_id: string;
  workspace_id: string;
  reason: string;
  error_code: string | null;
  attempts: number;
  created_at: number;
}

// The tables this module owns, registered in the database type (`db/schema.ts`).
declare module '../db/schema.js' {
  interface Database {
    messages: MessagesTable;
    message_events: MessageEventsTable;
    receipt_checks: ReceiptChecksTable;
    dead_letters: DeadLettersTable;
  }
}

import type { Generated } from 'kysely';
import type { MessageStatus } from './status.js';

/**
 * Terminology
 * - message: one outbound or inbound message on one channel. Outbound messages are also the outbox:
 *   the dispatcher claims `queued` rows whose `next_attempt_at` is due.
 * - category: the lane of an outbound message (`otp` > `transactional` > `conversation` > `marketing`);
 *   `lane_priority` is its rank, 0 highest.
 * - content: the encrypted JSON payload (text body, template parameters, media, ...).
 * - status / status_rank: see `messages/status.ts`; the rank only moves up (monotonic).
 * - provider_message_id: the provider's id (`wamid.…`, UltraMsg's id); unique, so a redelivered inbound
 *   message or a second store of the same send is refused by the schema.
 * - message event: an append-only history row: a status change, a decision of the policy gates, an
 *   attempt, a provider error.
 */
export interface MessagesTable {
  id: string;
  workspace_id: string;
  direction: 'outbound' | 'inbound';
  channel: Generated<string>;
  sender_id: string | null;
  contact_id: string | null;
  category: string | null;
  lane_priority: number;
  type: string;
  content: string | null;
  template_name: string | null;
  template_language: string | null;
  intent: string | null;
  status: MessageStatus;
  status_rank: number;
  status_at: number;
  provider_message_id: string | null;
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

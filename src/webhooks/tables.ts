import type { ProviderName } from '../channels/provider-name.js';
import type { Generated } from 'kysely';

/**
 * Terminology
 * - delivery: one HTTP POST from a provider (Meta's Cloud API, UltraMsg). It may carry many items.
 * - webhook log: every authenticated delivery, raw bytes and all, committed before the provider gets
 *   its 200 ("log first"). `seq` orders it. The body is sealed with a key derived from the master key
 *   (a Cloud API delivery belongs to a workspace only once processing has routed it).
 * - group commit: concurrent deliveries are written by one transaction, a few milliseconds apart at
 *   most, so each request pays a share of one commit rather than a commit of its own.
 * - item: one fact inside a delivery after normalization: an inbound message, a status, a template
 *   update, a phone-number update, a provider error, a user preference.
 * - processing: claiming due `pending` log rows (for one lease), normalizing them into items, applying
 *   the items, and marking each row `done`, or `failed` with its error. Failures that may pass
 *   (database errors) are retried with backoff; permanent ones (unparseable body, unknown sender)
 *   are kept as `failed` at once, for `parley webhooks replay` after the cause is fixed.
 * - status receipt: one (message, provider status) pair seen; its primary key is the dedup of
 *   redelivered statuses. The pseudo-status `#pricing` records that pricing was stored once.
 * - pending status: a status whose message Parley cannot match yet (the sender had not stored the
 *   provider's id when the status arrived); applied once the message becomes matchable.
 * - sender health: when a sender's webhooks last arrived and how late they were (event time → receipt).
 */
export type WebhookProvider = ProviderName;
export type WebhookLogState = 'pending' | 'done' | 'failed';

export interface WebhookLogTable {
  seq: Generated<number>;
  provider: WebhookProvider;
  received_at: number;
  /** Known at receipt for UltraMsg (the secret names the instance); for Cloud set by processing. */
  sender_id: string | null;
  /** The raw request body, sealed (`webhooks/body-seal.ts`). */
  body: Buffer;
  /** JSON object of the request headers processing or audits need (content type, signature). */
  headers: Generated<string>;
  state: WebhookLogState;
  attempts: Generated<number>;
  /** When the row is due. Claiming pushes it one lease ahead, so a row held by a crashed worker comes due again. */
  next_attempt_at: number;
  claimed_by: string | null;
  claimed_at: number | null;
  processed_at: number | null;
  error: string | null;
  /** JSON: per-item results of the last processing (`{ items: [{ kind, key, result, error? }] }`). */
  outcome: string | null;
}

export interface WebhookDomainEventsTable {
  seq: Generated<number>;
  /** JSON of a `DomainEvent`. */
  event: string;
  created_at: number;
}

export interface StatusReceiptsTable {
  message_id: string;
  /** The provider's status string (`delivered`, or UltraMsg's `device`), or `#pricing`. */
  status: string;
  received_at: number;
}

export interface PendingStatusesTable {
  id: Generated<number>;
  provider: WebhookProvider;
  /** Keyed hash of the provider's message id (`messages/provider-ids.ts`). */
  provider_id_hash: string;
  status: string;
  sender_id: string;
  /** Parley's message id when the provider echoed it (`biz_opaque_callback_data`, `referenceId`). */
  parley_message_id: string | null;
  /** JSON of the normalized status item, sealed with the sender's workspace key (it names the provider id). */
  item: string;
  received_at: number;
  expires_at: number;
}

export type MediaState = 'pending' | 'stored' | 'failed';

export interface MediaTable {
  id: string;
  workspace_id: string;
  message_id: string;
  sender_id: string;
  provider: WebhookProvider;
  /** Cloud API media id (valid 7 days at Meta). */
  provider_media_id: string | null;
  /** UltraMsg's download URL. */
  source_url: string | null;
  mime_type: string | null;
  sha256: string | null;
  filename: string | null;
  size: number | null;
  state: MediaState;
  attempts: Generated<number>;
  next_attempt_at: number;
  error: string | null;
  /** The file, base64, encrypted with the workspace's data key. */
  data: string | null;
  created_at: number;
  updated_at: number;
}

export interface TemplateUpdatesTable {
  id: Generated<number>;
  kind: 'status' | 'quality';
  waba_id: string;
  /** The template id when Meta sent one, else `<name>:<language>`: part of the dedup key. */
  template_key: string;
  template_id: string | null;
  name: string;
  language: string;
  /** Status event (`APPROVED`, `PAUSED`, ...) or the new quality score (`YELLOW`). */
  event: string;
  /** The previous quality score (quality updates). */
  previous: string | null;
  reason: string | null;
  category: string | null;
  /** JSON: rejection_info, other_info, disable_info, ... */
  detail: Generated<string>;
  at: number;
  received_at: number;
}

export interface PhoneNumberUpdatesTable {
  id: Generated<number>;
  sender_id: string | null;
  waba_id: string;
  display_phone: string;
  event: string;
  current_limit: string | null;
  detail: Generated<string>;
  at: number;
  received_at: number;
}

export interface ProviderErrorsTable {
  id: Generated<number>;
  log_seq: number;
  position: number;
  provider: WebhookProvider;
  sender_id: string | null;
  code: string;
  title: string | null;
  detail: Generated<string>;
  at: number;
}

export interface WebhookSenderHealthTable {
  sender_id: string;
  last_webhook_at: number | null;
  last_status_at: number | null;
  last_inbound_at: number | null;
  last_lag_ms: number | null;
  updated_at: number;
}

// The tables this module owns, registered in the database type (`db/schema.ts`).
declare module '../db/schema.js' {
  interface Database {
    webhook_log: WebhookLogTable;
    webhook_domain_events: WebhookDomainEventsTable;
    status_receipts: StatusReceiptsTable;
    pending_statuses: PendingStatusesTable;
    media: MediaTable;
    template_updates: TemplateUpdatesTable;
    phone_number_updates: PhoneNumberUpdatesTable;
    provider_errors: ProviderErrorsTable;
    webhook_sender_health: WebhookSenderHealthTable;
  }
}

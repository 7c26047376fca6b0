import type { Insertable } from 'kysely';
import type { MessagesTable } from './tables.js';
import { STATUS_RANK, type MessageStatus } from './status.js';
import { LANE_PRIORITY, type Lane } from '../policy/lanes.js';

/** A new message's row, as the modules that create messages build it. */
export type NewMessageRow = Insertable<MessagesTable>;

/**
 * A new message's row with every column given, defaults included: what the two builders below
 * return, so a column added to the table does not compile until both say what a new message holds.
 */
export type CompleteMessageRow = Required<NewMessageRow>;

/** The only channel messages are sent and received on today (the column's default). */
const CHANNEL = 'whatsapp';

/**
 * The `lane_priority` of an inbound message. Inbound messages have no lane and are never claimed by
 * the dispatcher (their status is `received`, never `queued`), but the column is not null: they get
 * 9, the column's default since the table was created, below every outbound lane (0 to 3), so no
 * lane's index range scan in the claim ever meets them.
 */
export const INBOUND_LANE_PRIORITY = 9;

/** An outbound message as accepted: through the API, the gateway or a batch. */
export interface OutboundMessageInput {
  id: string;
  workspaceId: string;
  senderId: string;
  contactId: string;
  lane: Lane;
  type: string;
  /** The content, sealed with the workspace's data key. */
  content: string;
  template: { name: string; language: string } | undefined;
  /** The intent's name, for a message sent by intent. */
  intent: string | null;
  /** What the gates decided: `scheduled` or `queued`, or how a refusal ends (`refused`, `expired`). */
  status: Extract<MessageStatus, 'scheduled' | 'queued' | 'refused' | 'expired'>;
  /** The refusal's code and reason, when the gates refused the message. */
  refusal: { code: string; reason: string } | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  sendAt: number;
  validUntil: number | null;
  /** When the dispatcher may first claim it: `sendAt`, or later for a gate's hold. */
  nextAttemptAt: number;
  metadata: Record<string, unknown>;
  /** The message the send quotes, as the request named it: a Parley message id or a provider's id. */
  replyTo: string | undefined;
  now: number;
}

/** An outbound message's new row: not yet claimed, no provider id, no attempt yet. */
export function outboundMessageRow(m: OutboundMessageInput): CompleteMessageRow {
  return {
    id: m.id,
    workspace_id: m.workspaceId,
    direction: 'outbound',
    channel: CHANNEL,
    sender_id: m.senderId,
    contact_id: m.contactId,
    lane: m.lane,
    lane_priority: LANE_PRIORITY[m.lane],
    type: m.type,
    content: m.content,
    template_name: m.template?.name ?? null,
    template_language: m.template?.language ?? null,
    intent: m.intent,
    status: m.status,
    status_rank: STATUS_RANK[m.status],
    status_at: m.now,
    provider_id_sealed: null,
    provider_id_hash: null,
    provider_alt_id_sealed: null,
    provider_alt_id_hash: null,
    idempotency_key: m.idempotencyKey,
    request_hash: m.requestHash,
    send_at: m.sendAt,
    valid_until: m.validUntil,
    next_attempt_at: m.nextAttemptAt,
    attempts: 0,
    claimed_by: null,
    claimed_at: null,
    error_code: m.refusal?.code ?? null,
    error_message: m.refusal?.reason ?? null,
    metadata: JSON.stringify(m.metadata),
    // A quoted wamid names the customer's number: it stays in the sealed content only.
    reply_to: m.replyTo?.startsWith('msg_') ? m.replyTo : null,
    created_at: m.now,
    updated_at: m.now,
  };
}

/** An inbound message as a provider's webhook delivered it, ready to store. */
export interface InboundMessageInput {
  id: string;
  workspaceId: string;
  senderId: string;
  /** Null when the customer's number could not be linked to a contact. */
  contactId: string | null;
  type: string;
  /** The content, sealed with the workspace's data key. */
  content: string;
  /** The provider's id of the message: its keyed hash and the id sealed (`messages/provider-ids.ts`). */
  providerIdHash: string;
  providerIdSealed: string;
  /** The provider it came through, kept in `metadata`. */
  provider: string;
  /** When the customer sent it, as the provider says. */
  at: number;
  /** The Parley message the customer quoted, if it is one Parley knows. */
  replyTo: string | null;
  /** When Parley stores it. */
  now: number;
}

/** An inbound message's new row: `received` when the customer sent it, outside every lane. */
export function inboundMessageRow(m: InboundMessageInput): CompleteMessageRow {
  return {
    id: m.id,
    workspace_id: m.workspaceId,
    direction: 'inbound',
    channel: CHANNEL,
    sender_id: m.senderId,
    contact_id: m.contactId,
    lane: null,
    lane_priority: INBOUND_LANE_PRIORITY,
    type: m.type,
    content: m.content,
    template_name: null,
    template_language: null,
    intent: null,
    status: 'received',
    status_rank: STATUS_RANK.received,
    status_at: m.at,
    provider_id_sealed: m.providerIdSealed,
    provider_id_hash: m.providerIdHash,
    provider_alt_id_sealed: null,
    provider_alt_id_hash: null,
    idempotency_key: null,
    request_hash: null,
    send_at: m.at,
    valid_until: null,
    next_attempt_at: m.at,
    attempts: 0,
    claimed_by: null,
    claimed_at: null,
    error_code: null,
    error_message: null,
    metadata: JSON.stringify({ provider: m.provider }),
    reply_to: m.replyTo,
    created_at: m.now,
    updated_at: m.now,
  };
}

import type { MessageStatus } from '../messages/status.js';
import { providerIdKey } from '../messages/provider-ids.js';
import type { ProviderName as WebhookProvider } from './provider-name.js';

/**
 * What a delivery says, once normalized: provider-neutral items. The provider folders
 * (`channels/<provider>/webhook/`) turn payloads into these; `webhooks/` applies them.
 */

/** How an item names its sender number: by the Cloud API phone number id, or already resolved. */
export type SenderRoute = { phoneNumberId: string } | { senderId: string };

/** An error as providers report it (`{ code, title, message, error_data: { details }, href }`). */
export interface ProviderError {
  code: string;
  title?: string;
  message?: string;
  details?: string;
  href?: string;
}

export interface InboundMedia {
  /** Cloud API media id: fetched through `GET /{version}/{media_id}`. */
  providerMediaId?: string;
  /** A direct download URL (UltraMsg; Cloud API from late 2025). */
  url?: string;
  mimeType?: string;
  sha256?: string;
  filename?: string;
}

export interface InboundItem {
  kind: 'inbound';
  provider: WebhookProvider;
  route: SenderRoute;
  providerMessageId: string;
  /** The customer's WhatsApp id (digits); undefined when the provider gives no phone-based id. */
  fromWaId?: string;
  profileName?: string;
  at: number;
  /** Normalized type: text, image, video, audio, document, sticker, location, contacts, interactive, button, reaction, order, system, unsupported, or the provider's own name of an unknown type. */
  type: string;
  /** Normalized content, stored encrypted as the message's `content`. */
  content: Record<string, unknown>;
  text?: string;
  buttonPayload?: string;
  /** The provider id of the message this one replies to or reacts to. */
  contextProviderMessageId?: string;
  media?: InboundMedia;
  /** Whether this message opens (refreshes) the 24-hour customer-service window: every customer message does; system notices do not. */
  opensWindow: boolean;
  /** `user_changed_number`: the customer's new WhatsApp id. */
  changedToWaId?: string;
}

export interface StatusItem {
  kind: 'status';
  provider: WebhookProvider;
  route: SenderRoute;
  providerMessageId: string;
  /** Other ids the provider may have used for the same message (UltraMsg's root `id`). */
  altProviderMessageIds?: string[];
  /** Parley's message id echoed back (`biz_opaque_callback_data`, UltraMsg `referenceId`). */
  parleyMessageId?: string;
  /**
   * The message's second provider id (UltraMsg: the WhatsApp id, `data.id`): matched against the
   * stored alternative id, and stored when the status matched by another key (decision 0007).
   */
  providerAltId?: string;
  /** Where the status was read: a webhook (default) or the provider's message list (reconciliation). */
  source?: 'webhook' | 'list';
  /** The provider's own status word (`delivered`, UltraMsg `device`): with the message, the dedup key. */
  providerStatus: string;
  status: MessageStatus;
  at: number;
  errors: ProviderError[];
  /** Meta `pricing` object, kept as sent (billable, pricing_model, category, type). */
  pricing?: Record<string, unknown>;
  /** Meta `conversation` object (conversation-based pricing, free entry points). */
  conversation?: Record<string, unknown>;
}

export interface TemplateUpdateItem {
  kind: 'template_update';
  update: 'status' | 'quality';
  wabaId: string;
  templateId?: string;
  name: string;
  language: string;
  /** Status event, or the new quality score. */
  event: string;
  previous?: string;
  reason?: string | null;
  category?: string;
  detail: Record<string, unknown>;
  at: number;
}

export interface PhoneQualityItem {
  kind: 'phone_quality';
  wabaId: string;
  displayPhone: string;
  event: string;
  currentLimit?: string;
  detail: Record<string, unknown>;
  at: number;
}

export interface ProviderErrorItem {
  kind: 'provider_error';
  provider: WebhookProvider;
  route: SenderRoute;
  error: ProviderError;
  /** Position within the delivery: with the log row, the dedup key. */
  position: number;
  at: number;
}

export interface UserPreferenceItem {
  kind: 'user_preference';
  route: SenderRoute;
  waId: string;
  category: string;
  value: string;
  at: number;
}

/**
 * A message the business's own account created (UltraMsg `message_create`, fromMe): nothing to apply
 * but the ids it names. Matched like a status; the second id is stored on the message it matches.
 */
export interface ProviderIdItem {
  kind: 'provider_id';
  provider: WebhookProvider;
  route: SenderRoute;
  providerMessageId: string;
  altProviderMessageIds?: string[];
  parleyMessageId?: string;
  providerAltId: string;
}

/** Content Parley keeps in the log but does not act on (echoes, unhandled webhook fields). */
export interface IgnoredItem {
  kind: 'ignored';
  key: string;
  /** The provider's id of the message concerned: named in the outcome key by its keyed hash only. */
  providerMessageId?: string;
  reason: string;
}

/** A part of the delivery that is malformed; the rest of the delivery is still applied. */
export interface InvalidItem {
  kind: 'invalid';
  key: string;
  /** As in IgnoredItem. */
  providerMessageId?: string;
  reason: string;
}

export type WebhookItem = InboundItem | StatusItem | ProviderIdItem | TemplateUpdateItem | PhoneQualityItem | ProviderErrorItem | UserPreferenceItem | IgnoredItem | InvalidItem;

/**
 * A key naming the item in outcomes and logs (no personal data): a provider message id, which carries
 * the customer's number, appears only as the start of its keyed hash (`hashOf`: `messages/provider-ids.ts`).
 */
export function itemKey(item: WebhookItem, hashOf: (providerMessageId: string) => string): string {
  switch (item.kind) {
    case 'inbound':
      return `message:${providerIdKey(hashOf(item.providerMessageId))}`;
    case 'status':
      return `status:${providerIdKey(hashOf(item.providerMessageId))}:${item.providerStatus}`;
    case 'provider_id':
      return `provider_id:${providerIdKey(hashOf(item.providerMessageId))}`;
    case 'template_update':
      return `template_${item.update}:${item.templateId ?? `${item.name}:${item.language}`}:${item.event}`;
    case 'phone_quality':
      return `phone_quality:${item.wabaId}:${item.event}`;
    case 'provider_error':
      return `provider_error:${item.position}:${item.error.code}`;
    case 'user_preference':
      return `user_preference:${item.category}:${item.value}`;
    case 'ignored':
    case 'invalid':
      return item.providerMessageId === undefined ? item.key : `${item.key}:${providerIdKey(hashOf(item.providerMessageId))}`;
  }
}

/** A delivery that cannot be read at all; kept in the log as failed (retrying would not help). */
export class PayloadError extends Error {
  override readonly name = 'PayloadError';
}

import type { Sender, SenderCredentials } from '../senders/sender-queries.js';

/**
 * The port every WhatsApp provider adapter implements (Cloud API, UltraMsg). The emulator is not an
 * adapter: it answers like the real services at another base URL.
 */
export interface OutboundRequest {
  /** Parley's message id: sent as `biz_opaque_callback_data` (Cloud) or `referenceId` (UltraMsg). */
  messageId: string;
  /** Recipient in E.164. */
  to: string;
  type: string;
  /** The payload object in Cloud API shape (see outbound/content-schema.ts). */
  payload: Record<string, unknown>;
  /** Provider id of the quoted message, if any. */
  replyToProviderId?: string;
  /** Rendered text of a template, for providers without templates (UltraMsg). */
  renderedText?: string;
  lane: 'otp' | 'transactional' | 'conversation' | 'marketing';
}

export interface ProviderError {
  /** Meta's numeric `code` as a string (`131056`), UltraMsg's error text class, or `http_<status>`, `network`, `timeout`. */
  code: string;
  title: string;
  details?: string;
  httpStatus?: number;
  fbtraceId?: string;
}

export type SendOutcome = { ok: true; providerMessageId: string } | { ok: false; error: ProviderError };

/** A message as a provider's message list shows it (UltraMsg `GET /{instance}/messages`). */
export interface ListedMessage {
  /** The provider's id, as its send API returned it. */
  id: string;
  /** Parley's message id echoed back (UltraMsg `referenceId`); empty when the send had none. */
  referenceId: string;
  /** The provider's queue state (UltraMsg: queue, sent, unsent, invalid, expired) and ack. */
  status: string;
  ack: string;
}

export interface ProviderAdapter {
  readonly provider: 'cloud' | 'ultramsg';
  send(sender: Sender, credentials: SenderCredentials, request: OutboundRequest): Promise<SendOutcome>;
  /**
   * The most messages per second the provider can send for this sender, when it queues and paces them
   * itself (UltraMsg: one per `sendDelay`); the dispatcher never hands over faster. Absent: no such cap.
   */
  maxRate?(sender: Sender, credentials: SenderCredentials): Promise<number>;
  /** A page (newest first) of the sender's messages in one provider queue state, for states no webhook reports. */
  listByState?(sender: Sender, credentials: SenderCredentials, state: string, page: number): Promise<{ messages: ListedMessage[]; pages: number }>;
  close(): Promise<void>;
}

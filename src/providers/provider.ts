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

export interface ProviderAdapter {
  readonly provider: 'cloud' | 'ultramsg';
  send(sender: Sender, credentials: SenderCredentials, request: OutboundRequest): Promise<SendOutcome>;
  close(): Promise<void>;
}

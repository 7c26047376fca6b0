import type { Sender, SenderCommon, SenderCredentials } from './sender.js';
import type { ProviderSettings } from './sender-identity.js';
import type { MessageStatus } from '../messages/status.js';
import type { Lane } from '../policy/lanes.js';
import type { ProviderName } from './provider-name.js';
import type { ErrorAction } from './errors.js';
import type { StatusItem, WebhookItem } from './webhook-items.js';
import type { WebhookRoute } from './webhook-routes.js';
import type { RenderableTemplate } from '../template-text/params.js';
import type { TemplateSend } from '../template-text/send-components.js';

export type { ProviderName, RenderableTemplate, TemplateSend };

/**
 * The port every channel adapter implements (today WhatsApp through the Cloud API and UltraMsg; SMS
 * and email adapters plug in here). The emulator is not an adapter: it answers like the real
 * services at another base URL. Adapters are built and found through `registry.ts`.
 */

export type { ErrorAction };

/**
 * What a channel adapter can do, read by the code outside `channels/` instead of asking which provider
 * a sender uses.
 */
export interface ChannelCapabilities {
  /** The kind of channel: what the customer receives. */
  readonly channel: 'whatsapp' | 'sms' | 'email';
  /** Message types (`OutboundRequest.type`) the adapter sends. */
  readonly messageTypes: readonly string[];
  /** The provider keeps approved templates (Cloud API); without them Parley sends a template's rendered text (`renderTemplate`). */
  readonly providerTemplates: boolean;
  /** Free-form messages need the customer to have written in the last 24 hours (WhatsApp's service window). */
  readonly serviceWindow: boolean;
  /** The provider limits messages to one recipient in a short time (Meta 131056: pair rate limit). */
  readonly pairRateLimit: boolean;
  /** The provider caps new conversations per day by a messaging tier (Meta's messaging limit). */
  readonly tierLimit: boolean;
  /** The most messages per second one sender can send, before `maxRate` narrows it; absent: set per sender. */
  readonly maxThroughput?: number;
  /** Status webhooks carry the time the event happened (not only when it reached Parley). */
  readonly statusEventTimes: boolean;
  /**
   * The sender is a linked device session (UltraMsg's instance) that can be logged out or offline: the
   * dispatcher checks the session and claims nothing while it is not authenticated (decision 0010).
   */
  readonly linkedSession: boolean;
}

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
  /** Rendered text of a template, for providers without templates: what the adapter's `renderTemplate` made of it. */
  renderedText?: string;
  /**
   * The file a media message sends, when its payload names a Parley upload (`mediaId`, which the
   * adapter replaces by what its provider takes: an uploaded media id, or the bytes themselves).
   */
  media?: OutboundMedia;
  lane: Lane;
}

/** A file to send, read from Parley's uploads by the dispatcher. */
export interface OutboundMedia {
  bytes: Buffer;
  mimeType: string;
  /** The name given at upload: a document's file name unless the payload gives one. */
  filename: string | null;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  /** The provider's media id of this file for this sender, from an earlier upload still valid: no upload needed. */
  providerMediaId?: string;
}

export interface ProviderError {
  /** Meta's numeric `code` as a string (`131056`), UltraMsg's error text class, or `http_<status>`, `network`, `timeout`. */
  code: string;
  title: string;
  details?: string;
  httpStatus?: number;
  fbtraceId?: string;
}

/**
 * What a send came to. `uploadedMediaId`: the adapter uploaded `OutboundRequest.media` to the provider
 * and got this id (kept per sender, so a resend does not upload again), whether or not the send then
 * succeeded.
 */
export type SendOutcome = { ok: true; providerMessageId: string; uploadedMediaId?: string } | { ok: false; error: ProviderError; uploadedMediaId?: string };

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

/** A status read from a provider's message list, to apply like a webhook's. */
export interface ListedStatus {
  status: MessageStatus;
  /** The receipt key: the ack of a sent message, else the queue state. */
  providerStatus: string;
  errors: StatusItem['errors'];
}

/** A send as the provider's message list shows it, looked up for a send still without a delivery receipt. */
export interface ListedReceipt {
  /** The provider's id, as its send API returned it. */
  providerMessageId?: string;
  /** The provider's second id (UltraMsg: the WhatsApp id), when the entry carries one. */
  altProviderMessageId?: string;
  /** The provider's receipt word (UltraMsg's ack; `pending` while it has none). */
  providerStatus: string;
  /** That receipt as a status; absent when it says nothing Parley maps. */
  status?: MessageStatus;
}

/**
 * What a provider says of a send Parley may have made before its worker died (crash recovery,
 * `outbound/dispatch/reconcile.ts`): whether it has a message carrying Parley's id and, if so, its id
 * and how far it got.
 */
export type SendLookup =
  | { found: false }
  | {
      found: true;
      /** The provider's id for the send, when its record carries one. */
      providerMessageId?: string;
      /** The provider's second id (UltraMsg: the WhatsApp id), when its record carries one. */
      altProviderMessageId?: string;
      /** What the record says beyond `accepted` (the provider has it), as a status to apply; absent: nothing more. */
      status?: { status: MessageStatus; providerStatus: string; errors: Array<{ code: string; title?: string }> };
      /** Where the send was found and what it showed, in words, for the message's history. */
      evidence: string;
    };

/** A provider's webhook delivery as Parley stored it, before it is read. */
export interface StoredDelivery {
  /** The body exactly as received. */
  body: Buffer;
  /** The request headers kept with it (content type, signature, instance). */
  headers: Record<string, string>;
  /** The sender, when the route authenticated it at receipt (UltraMsg: the secret names the instance). */
  senderId: string | null;
  receivedAt: number;
}

/** An inbound media file to download: what the webhook named, and the sender it came to. */
export interface MediaToDownload {
  /** The provider's media id (Cloud API), fetched through the provider's API. */
  providerMediaId: string | null;
  /** A direct download URL (UltraMsg). */
  url: string | null;
  /**
   * The sender the media came to, with its credentials, for providers that download with the
   * sender's token; throws a permanent `MediaDownloadError` when the sender is gone.
   */
  sender: () => Promise<{ sender: Pick<SenderCommon, 'baseUrl'> & ProviderSettings; credentials: SenderCredentials }>;
  maxBytes: number;
  timeoutMs: number;
}

export interface DownloadedMedia {
  bytes: Buffer;
  mimeType?: string;
  sha256?: string;
}

/** A linked device session's state as the provider reports it (UltraMsg `instance/status`: `accountStatus`). */
export interface SessionStatus {
  /** `authenticated`, `qr`, `loading`, `disconnected`, `standby`, `got qr code`, ... */
  status: string;
  substatus: string;
}

export type SessionStatusResult = { ok: true; status: SessionStatus } | { ok: false; error: ProviderError };

/** The QR code to scan (a PNG), or why there is none (`noQr`: the provider answered, without an image). */
export type SessionQrResult = { ok: true; png: Buffer } | { ok: false; error: ProviderError; noQr?: boolean };

/**
 * The session of a sender that is a linked device (UltraMsg's instance), which can be logged out or
 * offline: the dispatcher checks it and claims nothing while it cannot send (decision 0010), and the
 * senders API shows the QR code that links it again.
 */
export interface LinkedSession {
  status(sender: Sender, credentials: SenderCredentials): Promise<SessionStatusResult>;
  qr(sender: Sender, credentials: SenderCredentials): Promise<SessionQrResult>;
  /** Whether a session in this state can send: null if so, else what the operator should do, in a sentence (the sender's health reason). */
  attention(status: SessionStatus, senderId: string): string | null;
  /** The sender's session at the provider (UltraMsg: the instance id); null when it names none (there is no QR code to ask for). */
  sessionId(sender: Sender): string | null;
  /** The session in messages (`UltraMsg instance instance1150`). */
  sessionLabel(sender: Sender): string;
  /** Whether a failed status or QR call says the stored credentials are refused (not that the provider is down). */
  refusesCredentials(error: ProviderError): boolean;
}

/** A read receipt to pass to the provider: the inbound message read, and whether to show the typing indicator. */
export interface ReadReceipt {
  /** The provider's id of the inbound message (`wamid.…`). */
  providerMessageId: string;
  typingIndicator?: { type: 'text' };
}

/** The provider's answer to a read receipt: its JSON body and HTTP status, or why there was none. */
export type ReadReceiptOutcome = { kind: 'answer'; status: number; body: unknown } | { kind: 'unreachable'; reason: string };

/** A template as the provider lists it (Cloud API: Meta's message template). */
export interface ProviderTemplate {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string;
  components: unknown[];
  rejectedReason?: string;
  qualityScore?: string;
}

/** The provider's answer to a template submitted for review. */
export interface CreatedTemplate {
  id: string;
  status: string;
  category?: string;
}

/**
 * Template management at the provider for one template account (Cloud API: a WABA), as one of its
 * senders; failures throw `ParleyError`s that say what the provider answered.
 */
export interface TemplateAccount {
  /** Submits a new template (or a new language of one) for review. */
  create(body: Record<string, unknown>): Promise<CreatedTemplate>;
  /** Submits a changed template for review again. */
  edit(templateId: string, body: { category?: string; components: unknown[] }): Promise<void>;
  /** Every template of the account (or those of one name), all pages. */
  list(options?: { name?: string; pageSize?: number }): Promise<ProviderTemplate[]>;
  delete(ref: { name: string; hsmId?: string }): Promise<void>;
}

/** The provider keeps approved templates (`capabilities.providerTemplates`) and manages them through its API. */
export interface ProviderTemplates {
  /** The template account `accountId` reached through `sender`; throws a `ParleyError` when the sender cannot manage templates (no token). */
  account(sender: Sender, credentials: SenderCredentials, accountId: string): TemplateAccount;
}

export interface ChannelAdapter {
  readonly provider: ProviderName;
  readonly capabilities: ChannelCapabilities;
  send(sender: Sender, credentials: SenderCredentials, request: OutboundRequest): Promise<SendOutcome>;
  /**
   * The most messages per second the provider can send for this sender, when it queues and paces them
   * itself (UltraMsg: one per `sendDelay`); the dispatcher never hands over faster. Absent: no such cap.
   */
  maxRate?(sender: Sender, credentials: SenderCredentials): Promise<number>;
  /** The pace assumed until `maxRate` has answered (UltraMsg: its default `sendDelay`, one a second). Absent: no cap until then. */
  readonly initialMaxRate?: number;
  /** A page (newest first) of the sender's messages in one provider queue state, for states no webhook reports. */
  listByState?(sender: Sender, credentials: SenderCredentials, state: string, page: number): Promise<{ messages: ListedMessage[]; pages: number }>;
  /** The provider queue states, read with `listByState`, in which a message ends without a webhook saying so (UltraMsg: invalid, unsent, expired). */
  readonly givenUpStates?: readonly string[];
  /** A listed message's queue state and ack as a status to apply; undefined: nothing to report. */
  listedStatus?(state: string, ack: string): ListedStatus | undefined;
  /**
   * Whether the provider got the send of Parley's message `messageId`, asked of the provider itself;
   * throws when the provider cannot answer now. Absent: the provider cannot be asked (Cloud API has no
   * such lookup), and crash recovery relies on status webhooks echoing Parley's id alone.
   */
  findSend?(sender: Sender, credentials: SenderCredentials, messageId: string): Promise<SendLookup>;
  /**
   * The provider's record of the send of Parley's message `messageId` (its message list), for sends whose
   * delivery receipt may never come by webhook (decision 0007); undefined when it lists no such send;
   * throws when the provider cannot answer now. Absent: receipts come by webhook alone.
   */
  lookupReceipt?(sender: Sender, credentials: SenderCredentials, messageId: string): Promise<ListedReceipt | undefined>;
  /**
   * A stored webhook delivery as provider-neutral items; throws `PayloadError` (webhook-items.ts)
   * when the delivery as a whole cannot be read.
   */
  normalizeDelivery(delivery: StoredDelivery): WebhookItem[];
  /**
   * The endpoints the provider posts its deliveries to (and any handshake), each with how a request is
   * read and authenticated; the webhooks module registers them in this order and stores what they accept.
   */
  readonly webhookRoutes: readonly WebhookRoute[];
  /**
   * Marks an inbound message read at the provider (the customer sees it read), relaying the provider's
   * answer as is; one call, not retried. Absent: the provider takes no read receipts.
   */
  markRead?(sender: Sender, credentials: SenderCredentials, receipt: ReadReceipt): Promise<ReadReceiptOutcome>;
  /**
   * The text sent for a template where the provider keeps none (`capabilities.providerTemplates` false;
   * UltraMsg), handed back in `OutboundRequest.renderedText`: `template` is the live version Parley holds
   * (undefined: none), filled in with the send's parameters. Pure; throws a `ParleyError` when the
   * template cannot be sent as text (no live version, a parameter that does not fit). Absent: the provider
   * sends templates itself.
   */
  renderTemplate?(send: TemplateSend, template: RenderableTemplate | undefined): string;
  /** Template management at the provider (Cloud API). Absent: the provider keeps no templates. */
  readonly templates?: ProviderTemplates;
  /** Downloads an inbound media file; throws `MediaDownloadError` (read-bounded.ts). Absent: the channel receives no media. */
  downloadMedia?(media: MediaToDownload): Promise<DownloadedMedia>;
  /** The linked device session behind a sender (`capabilities.linkedSession`). Absent: the sender is no such session. */
  readonly session?: LinkedSession;
  /** What the dispatcher does about an error this adapter returned (its own error table, by the provider's code). */
  classifyError(error: { code: string; title: string }): ErrorAction;
  /** Whether the error says the provider as a whole is down (feeds the sender's circuit breaker), not this message. */
  isOutage(error: { code: string }): boolean;
  close(): Promise<void>;
}

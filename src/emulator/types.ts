/**
 * Terminology (the WhatsApp emulator):
 *
 * - Surface: one of the two provider APIs the emulator imitates: `cloud` (Meta's WhatsApp Cloud API,
 *   answered at the root like graph.facebook.com) and `ultramsg` (UltraMsg, `/{instance_id}/...`).
 * - Number: a simulated Cloud API business phone number, addressed by its `phoneNumberId` (a Graph id,
 *   not the phone number itself). Each number carries its own limits (throughput, pair rate, tier...).
 * - Instance: a simulated UltraMsg instance (`instance1150`), a WhatsApp account linked by QR code.
 * - Customer: a simulated WhatsApp user, addressed by `wa_id` (digits of the phone number, no `+`).
 *   Any well-formed number is a customer; the config and the control API can give one a name, flags
 *   (undeliverable, blocked, opted out of marketing) and a persona.
 * - Persona: a scripted customer behaviour (reply STOP to a share of marketing templates, press a button,
 *   reply after a delay). Decisions are a pure function of (seed, customer, how many messages that
 *   customer received), so a run is reproducible whatever the interleaving of requests.
 * - Service window: the 24-hour customer service window, opened or refreshed each time the customer writes
 *   to a number. Free-form messages outside it are refused with 131047.
 * - Send: one accepted request to a send endpoint. It gets a message id (`wamid.` for Cloud, a number for
 *   UltraMsg) and then status webhooks; some rules refuse a send synchronously (HTTP error), others accept
 *   it and fail it later by a `failed` status webhook, as Meta does (see `rules/evaluate.ts`).
 * - Delivery: one webhook POST body (one batch) with its attempts; at-least-once, so a delivery may be
 *   retried and duplicated.
 * - Emulator time: the emulator's clock (`now()`), which the control API can move forward to make windows
 *   and rolling counters expire without waiting. Latencies and batching windows use real time.
 */

export type Surface = 'cloud' | 'ultramsg';

export type TemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';

/** Template statuses the emulator models (Meta's lifecycle, section 4.3 of the protocol notes). */
export type TemplateStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'PAUSED' | 'DISABLED' | 'FLAGGED' | 'IN_APPEAL' | 'REINSTATED' | 'ARCHIVED' | 'DELETED';

export type QualityScore = 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';

/** A template component as Meta's management API takes it (`HEADER`, `BODY`, `FOOTER`, `BUTTONS`). */
export interface TemplateComponent {
  type: string;
  format?: string;
  text?: string;
  buttons?: Array<Record<string, any>>;
  example?: Record<string, any>;
  add_security_recommendation?: boolean;
  code_expiration_minutes?: number;
  [key: string]: unknown;
}

export interface Template {
  id: string;
  name: string;
  language: string;
  category: TemplateCategory;
  status: TemplateStatus;
  quality: QualityScore;
  /** `POSITIONAL` ({{1}}) or `NAMED` ({{customer_name}}). */
  parameterFormat: 'POSITIONAL' | 'NAMED';
  components: TemplateComponent[];
  createdAt: number;
}

/** Per-number limits, all settable in the config file and at runtime (`PUT /_emulator/numbers/:id/limits`). */
export interface NumberLimits {
  /** Messages per second (token bucket, one second of burst). Meta: 80 by default, up to 1,000. Over it: 130429. */
  throughputMps: number;
  /** Pair rate: messages to one customer allowed in one burst (Meta: 45 in 6 s). Over it: 131056. */
  pairBurst: number;
  /** Pair rate: length of the burst window (Meta: 6 s). */
  pairBurstWindowMs: number;
  /** Pair rate: each message borrows this much time from the future (Meta: about 1 message per 6 s). */
  pairIntervalMs: number;
  /** Customer service window length (Meta: 24 h). */
  serviceWindowMs: number;
  /** Unique customers reachable by business-initiated messages per rolling 24 h; null = unlimited. */
  dailyUniqueRecipients: number | null;
  /** Code of the `failed` webhook when the tier is exceeded (Meta documents no dedicated code). */
  tierErrorCode: number;
  /** Marketing templates one customer may receive per rolling window (Meta's per-user cap, 131049); null = no cap. */
  marketingCapPerUser: number | null;
  marketingCapWindowMs: number;
}

export interface CloudNumber {
  phoneNumberId: string;
  displayPhoneNumber: string;
  verifiedName: string;
  qualityRating: QualityScore;
  limits: NumberLimits;
}

/** An UltraMsg instance's session states, as `instance/status` reports them. */
export type UltraMsgInstanceState = 'authenticated' | 'disconnected' | 'standby' | 'qr' | 'loading';

export interface UltraMsgInstance {
  instanceId: string;
  /** The WhatsApp number linked to the instance (digits). */
  phone: string;
  name: string;
  /** Gap between two messages leaving the queue while fewer than 10 wait (UltraMsg's `sendDelay`, default 1 s; 0 = as fast as possible). */
  sendDelayMs: number;
  /** The gap the delay grows to once 10 or more wait (UltraMsg's `sendDelayMax`, default 15 s); see `ultramsg/send-delay.ts`. */
  sendDelayMaxMs: number;
  /**
   * The session's state (`ultramsg/instance-state.ts`): `authenticated` sends; `disconnected`, `standby` (the
   * phone is offline), `qr` (logged out, waiting for a QR scan) and `loading` (restarting) keep messages
   * queued until it is authenticated again.
   */
  state: UltraMsgInstanceState;
  /** Instance settings, as `instance/settings` exposes them. */
  webhookMessageReceived: boolean;
  webhookMessageCreate: boolean;
  webhookMessageAck: boolean;
  /**
   * `webhook_message_download_media`: received files are kept and their download URL is put in the webhook's
   * `data.media`; off, media messages arrive with `media: ""` (nothing to download).
   */
  webhookMessageDownloadMedia: boolean;
}

export interface PersonaConfig {
  /** Share (0..1) of marketing templates answered with "STOP". */
  stopMarketingShare: number;
  /** Share of messages with buttons (template quick replies, interactive buttons and lists) whose button is pressed. */
  pressButtonShare: number;
  /** Share of other messages answered with `replyText`. */
  replyShare: number;
  replyText: string;
  /** Reply delay range [min, max] in ms. */
  replyDelayMs: [number, number];
}

export interface CustomerConfig {
  phone: string;
  name: string;
  undeliverable: boolean;
  blocked: boolean;
  optedOutOfMarketing: boolean;
  persona: string | null;
}

export interface TemplateReviewRule {
  /** Regular expression tested against the template name. */
  namePattern?: string;
  /** Regular expression tested against the body text. */
  bodyPattern?: string;
  category?: TemplateCategory;
  decision: 'APPROVED' | 'REJECTED';
  reason: string;
  rejectionInfo?: { reason: string; recommendation: string };
}

export interface Behaviour {
  /** Latency ranges [min, max] in ms: request → sent, sent → delivered, delivered → read. */
  statusLatencyMs: { sent: [number, number]; delivered: [number, number]; read: [number, number] };
  /** Share of sent messages that get delivered (the rest stay at sent: phone off). */
  deliveredRate: number;
  /** Share of delivered messages that get read. */
  readRate: number;
  /** Share of accepted messages that fail later with `failedCode` (by webhook). */
  failedRate: number;
  failedCode: number;
  /** Share of webhook deliveries POSTed a second time (at-least-once). */
  duplicateRate: number;
  /** Share of events held back so that a later event overtakes them (e.g. read before delivered). */
  reorderRate: number;
  reorderDelayMs: number;
  /** Events are gathered this long before a POST (several changes and statuses per POST, like Meta). */
  batchWindowMs: number;
  /** At most this many events per POST. */
  maxBatchSize: number;
  webhookTimeoutMs: number;
  webhookConcurrency: number;
  retry: { initialDelayMs: number; maxDelayMs: number; maxAttempts: number };
  templateReview: { delayMs: number; rules: TemplateReviewRule[] };
  /** Phone numbers (digits) starting with one of these are not on WhatsApp (131026). */
  undeliverablePrefixes: string[];
  /** Persona applied to customers that have none (null: customers stay silent unless driven). */
  defaultPersona: string | null;
  /**
   * How a free-form message outside the 24-hour window fails: `webhook` (Meta's behaviour and the default:
   * 200 with a wamid, then a `failed` status whose `errors[0].code` is 131047) or `sync` (an HTTP 400 with
   * 131047 at once, as some integrations report it).
   */
  windowErrors: 'webhook' | 'sync';
  /**
   * What the envelope of UltraMsg `message_create` and `message_ack` webhooks carries: `filled` (the
   * numeric send id in `id` and the send's `referenceId`, the default) or `empty` (both empty, only
   * `data.id`, the WhatsApp id, names the message: UltraMsg's official webhook example; decision 0007).
   */
  ultramsgAckIds: 'filled' | 'empty';
}

export interface Faults {
  /** Share of send requests answered with an HTTP 500 (Graph code 1). */
  http5xxRate: number;
  /** Share of send requests never answered (the socket is closed after `timeoutMs`). */
  timeoutRate: number;
  timeoutMs: number;
  /** Whether a timed-out send was nevertheless processed (the response was lost): true makes retries duplicates. */
  timeoutProcessed: boolean;
  /** Share of send requests answered after `slowMs`. */
  slowRate: number;
  slowMs: number;
  /** Share of send requests refused with 131000 (something went wrong) / 131016 (service unavailable). */
  error131000Rate: number;
  error131016Rate: number;
  /** Every Cloud API call is refused with 190 (access token expired). */
  tokenExpired: boolean;
  /** Webhook POSTs are not made (counted as failed attempts and retried with backoff). */
  webhookOutage: boolean;
  /** Share of UltraMsg `message_ack` webhooks never sent (the ack still shows in `GET /{instance}/messages`). */
  ultramsgAckDropRate: number;
}

export interface MemoryLimits {
  /** Outbound messages remembered (status, reactions targets, persona replies). */
  maxMessages: number;
  /** Inbound messages remembered (mark-as-read). */
  maxInboundMessages: number;
  /** Entries of the received-requests log and of the webhook log (ring buffers). */
  maxLogEntries: number;
  /** Webhook events waiting for delivery; the oldest are dropped beyond this. */
  maxPendingEvents: number;
  /** Bytes of uploaded media kept; the oldest are evicted beyond this. */
  maxMediaBytes: number;
  /** Correlation keys remembered for duplicate detection. */
  maxCorrelationKeys: number;
}

export interface EmulatorConfig {
  wabaId: string;
  accessToken: string;
  appSecret: string;
  numbers: CloudNumber[];
  ultramsgToken: string;
  ultramsgInstances: UltraMsgInstance[];
  templates: Array<Omit<Template, 'id' | 'createdAt'> & { id?: string }>;
  customers: CustomerConfig[];
  personas: Record<string, PersonaConfig>;
  behaviour: Behaviour;
  faults: Faults;
  memory: MemoryLimits;
}

/** What `parley emulator --json` prints and `RunningEmulator.info` holds. Keys are fixed. */
export interface EmulatorInfo {
  url: string;
  accessToken: string;
  appSecret: string;
  wabaId: string;
  phoneNumberIds: string[];
  ultramsgInstanceIds: string[];
  ultramsgToken: string;
}

/** A Cloud API status as sent in webhooks. */
export type CloudStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** An outbound Cloud message the emulator accepted. */
export interface OutboundMessage {
  id: string;
  phoneNumberId: string;
  to: string;
  type: string;
  /** Pricing category: marketing, utility, authentication or service. */
  category: string;
  billable: boolean;
  bizOpaque?: string;
  templateName?: string;
  /** The request body as received (for personas and the control API). */
  request: Record<string, any>;
  statuses: Array<{ status: CloudStatus; at: number; errorCode?: number }>;
  createdAt: number;
}

export interface InboundMessage {
  id: string;
  phoneNumberId: string;
  from: string;
  type: string;
  at: number;
  read: boolean;
  /** The message as its webhook carried it (the emulator's phone shows it). */
  message?: Record<string, unknown>;
}

import { BoundedMap } from './shared/bounded-map.js';
import { RingBuffer } from './shared/ring-buffer.js';
import type { PairState } from './rules/pair-rate.js';
import type { TokenBucket } from './rules/throughput.js';
import type { TierState } from './rules/messaging-tier.js';
import type { CustomerConfig, EmulatorConfig, InboundMessage, OutboundMessage, Surface, Template } from './types.js';
import type { MediaStore } from './cloud/media-store.js';
import type { UltraMsgMessage, UltraMsgReceived } from './ultramsg/types.js';

/** One request the emulator received on a send endpoint, as the control API shows it. */
export interface ReceivedRequest {
  seq?: number;
  at: number;
  surface: Surface;
  method: string;
  path: string;
  /** phone_number_id or instance id. */
  target: string;
  body: unknown;
  status: number;
  /** The message id given, or the error code refused with. */
  messageId?: string;
  errorCode?: number;
  fault?: string;
}

/** One webhook delivery (one POST body) and what became of it. */
export interface WebhookRecord {
  seq?: number;
  surface: Surface;
  createdAt: number;
  payload: unknown;
  /** Number of events (statuses, messages, changes) in the body. */
  events: number;
  attempts: number;
  state: 'pending' | 'delivered' | 'dropped';
  lastStatus?: number;
  lastError?: string;
  /** This POST repeats an earlier delivery on purpose (at-least-once). */
  duplicate: boolean;
  deliveredAt?: number;
}

export interface DuplicateSend {
  surface: Surface;
  key: string;
  firstMessageId: string;
  messageId: string;
  at: number;
}

export interface Stats {
  cloudSendsAccepted: number;
  cloudSendsRefused: number;
  cloudFailedByWebhook: number;
  ultramsgSendsAccepted: number;
  ultramsgSendsRefused: number;
  inboundMessages: number;
  duplicateSends: number;
  faultsInjected: number;
  webhooksPosted: number;
  webhookEventsDelivered: number;
  webhookAttemptsFailed: number;
  webhookDuplicatesPosted: number;
  webhooksDropped: number;
  errorsByCode: Record<string, number>;
}

export const emptyStats = (): Stats => ({
  cloudSendsAccepted: 0,
  cloudSendsRefused: 0,
  cloudFailedByWebhook: 0,
  ultramsgSendsAccepted: 0,
  ultramsgSendsRefused: 0,
  inboundMessages: 0,
  duplicateSends: 0,
  faultsInjected: 0,
  webhooksPosted: 0,
  webhookEventsDelivered: 0,
  webhookAttemptsFailed: 0,
  webhookDuplicatesPosted: 0,
  webhooksDropped: 0,
  errorsByCode: {},
});

/** Everything the emulator remembers. Every collection is bounded (see `MemoryLimits`). */
export class EmulatorState {
  throughput = new Map<string, TokenBucket>();
  pairs: BoundedMap<string, PairState>;
  /** `${phoneNumberId}:${waId}` → emulator time of the customer's last message. */
  windows: BoundedMap<string, number>;
  tiers = new Map<string, TierState>();
  marketing: BoundedMap<string, number[]>;
  customers = new Map<string, CustomerConfig>();
  templates: Template[] = [];
  messages: BoundedMap<string, OutboundMessage>;
  inbound: BoundedMap<string, InboundMessage>;
  /** How many messages each customer received (drives persona decisions). */
  personaCounters: BoundedMap<string, number>;
  received: RingBuffer<ReceivedRequest>;
  webhooks: RingBuffer<WebhookRecord>;
  duplicates: RingBuffer<DuplicateSend>;
  /** Correlation key (biz_opaque_callback_data / referenceId) of accepted sends → message id. */
  correlation: { cloud: BoundedMap<string, string>; ultramsg: BoundedMap<string, string> };
  ultramsgMessages: BoundedMap<number, UltraMsgMessage>;
  /** Messages customers sent to UltraMsg instances, by WhatsApp id (a reply can quote them). */
  ultramsgReceived: BoundedMap<string, UltraMsgReceived>;
  stats: Stats = emptyStats();

  constructor(
    readonly config: EmulatorConfig,
    readonly media: MediaStore,
  ) {
    const m = config.memory;
    this.pairs = new BoundedMap(m.maxMessages);
    this.windows = new BoundedMap(m.maxMessages);
    this.marketing = new BoundedMap(m.maxMessages);
    this.messages = new BoundedMap(m.maxMessages);
    this.inbound = new BoundedMap(m.maxInboundMessages);
    this.personaCounters = new BoundedMap(m.maxMessages);
    this.received = new RingBuffer(m.maxLogEntries);
    this.webhooks = new RingBuffer(m.maxLogEntries);
    this.duplicates = new RingBuffer(m.maxLogEntries);
    this.correlation = { cloud: new BoundedMap(m.maxCorrelationKeys), ultramsg: new BoundedMap(m.maxCorrelationKeys) };
    this.ultramsgMessages = new BoundedMap(m.maxMessages);
    this.ultramsgReceived = new BoundedMap(m.maxInboundMessages);
  }

  customer(waId: string): CustomerConfig | undefined {
    return this.customers.get(waId);
  }

  countError(code: number): void {
    this.stats.errorsByCode[code] = (this.stats.errorsByCode[code] ?? 0) + 1;
  }

  /** Records a correlation key of an accepted send; returns true (and logs it) when the key was already used. */
  noteCorrelation(surface: Surface, key: string | undefined, messageId: string, at: number): boolean {
    if (!key) return false;
    const map = this.correlation[surface];
    const first = map.get(key);
    if (first === undefined) {
      map.set(key, messageId);
      return false;
    }
    this.stats.duplicateSends++;
    this.duplicates.push({ surface, key, firstMessageId: first, messageId, at });
    return true;
  }
}

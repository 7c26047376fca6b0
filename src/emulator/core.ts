import { systemClock, type Clock } from '../shared/time.js';
import { MediaStore } from './cloud/media-store.js';
import { templateFromConfig } from './cloud/templates/template-store.js';
import { EmulatorClock } from './shared/clock.js';
import { SeededRandom } from './shared/random.js';
import { TimerQueue } from './shared/timer-queue.js';
import { EmulatorState } from './state.js';
import type { CloudNumber, EmulatorConfig, UltraMsgInstance } from './types.js';
import { CloudBatcher, type CloudEvent } from './webhooks/cloud-batcher.js';
import { WEBHOOK_USER_AGENTS, WebhookDeliverer } from './webhooks/deliverer.js';
import { signatureHeader } from './webhooks/sign.js';

export interface WebhookUrls {
  cloud?: string;
  ultramsg?: string;
}

/**
 * The running emulator's heart, independent of HTTP: config (behaviour, faults and limits change at runtime),
 * state, clock, seeded randomness, one timer queue, and the two webhook pipelines. Route modules and the
 * control API act on it.
 */
export class EmulatorCore {
  readonly state: EmulatorState;
  readonly clock: EmulatorClock;
  readonly random: SeededRandom;
  readonly timers: TimerQueue;
  readonly urls: WebhookUrls;
  readonly cloudDeliverer: WebhookDeliverer;
  readonly ultramsgDeliverer: WebhookDeliverer;
  readonly cloudBatcher: CloudBatcher;
  /** UltraMsg send queues by instance id (created on first use; see `ultramsg/queue.ts`). */
  readonly ultramsgQueues = new Map<string, { clear(): number; catchUp(): void; readonly size: number }>();
  /** Where the emulator listens (set once listening); media URLs point here. */
  baseUrl = '';
  readonly #initial: EmulatorConfig;

  constructor(
    readonly config: EmulatorConfig,
    readonly seed: number,
    urls: WebhookUrls,
    clock: Clock = systemClock,
    readonly onError: (error: unknown) => void = () => {},
  ) {
    this.#initial = structuredClone(config);
    this.clock = new EmulatorClock(clock);
    // Queues wait on emulator time: moved forward, they send (and expire) what is now due.
    this.clock.onAdvance(() => {
      for (const queue of this.ultramsgQueues.values()) queue.catchUp();
    });
    this.random = new SeededRandom(seed);
    this.timers = new TimerQueue(onError);
    this.urls = { ...urls };
    this.state = new EmulatorState(config, new MediaStore(config.memory.maxMediaBytes));
    this.#loadState();
    const common = { behaviour: () => this.config.behaviour, faults: () => this.config.faults, random: this.random, timers: this.timers, state: this.state, now: () => this.clock.now() };
    this.cloudDeliverer = new WebhookDeliverer({ ...common, surface: 'cloud', userAgent: WEBHOOK_USER_AGENTS.cloud, url: () => this.urls.cloud, headers: (body) => ({ 'x-hub-signature-256': signatureHeader(this.config.appSecret, body) }) });
    this.ultramsgDeliverer = new WebhookDeliverer({ ...common, surface: 'ultramsg', userAgent: WEBHOOK_USER_AGENTS.ultramsg, url: () => this.urls.ultramsg, headers: () => ({}) });
    this.cloudBatcher = new CloudBatcher({
      wabaId: () => this.config.wabaId,
      number: (id) => this.number(id),
      behaviour: () => this.config.behaviour,
      random: this.random,
      timers: this.timers,
      deliverer: this.cloudDeliverer,
    });
  }

  #loadState(): void {
    const now = this.clock.now();
    this.state.customers.clear();
    for (const c of this.config.customers) this.state.customers.set(c.phone, { ...c });
    this.state.templates = this.config.templates.map((t) => templateFromConfig(t, now));
  }

  number(phoneNumberId: string): CloudNumber | undefined {
    return this.config.numbers.find((n) => n.phoneNumberId === phoneNumberId);
  }

  instance(instanceId: string): UltraMsgInstance | undefined {
    return this.config.ultramsgInstances.find((i) => i.instanceId === instanceId);
  }

  emitCloud(event: CloudEvent): void {
    this.cloudBatcher.add(event);
  }

  /** UltraMsg posts one event per request, as JSON, unsigned. */
  emitUltraMsg(payload: Record<string, unknown>): void {
    this.ultramsgDeliverer.post(Buffer.from(JSON.stringify(payload)), payload, 1);
  }

  setWebhookUrls(urls: WebhookUrls): void {
    if (urls.cloud !== undefined) this.urls.cloud = urls.cloud || undefined;
    if (urls.ultramsg !== undefined) this.urls.ultramsg = urls.ultramsg || undefined;
    this.cloudDeliverer.wake();
    this.ultramsgDeliverer.wake();
  }

  /** Posts what is batched and resolves once every webhook is delivered or dropped (or after `timeoutMs`). */
  async flushWebhooks(timeoutMs = 10_000): Promise<boolean> {
    this.cloudBatcher.flush();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const idle = Promise.all([this.cloudDeliverer.idle(), this.ultramsgDeliverer.idle()]).then(() => true as const);
    const result = await Promise.race([idle, timeout]);
    clearTimeout(timer);
    return result;
  }

  /**
   * Back to the state at start: forgets messages, windows, counters, logs, stats, uploaded media, scheduled
   * statuses and pending webhooks; restores customers, templates, limits, behaviour and faults from the
   * config given at start. Webhook URLs and secrets are kept.
   */
  reset(): void {
    const initial = structuredClone(this.#initial);
    this.config.numbers.splice(0, this.config.numbers.length, ...initial.numbers);
    this.config.ultramsgInstances.splice(0, this.config.ultramsgInstances.length, ...initial.ultramsgInstances);
    Object.assign(this.config.behaviour, initial.behaviour);
    Object.assign(this.config.faults, initial.faults);
    for (const key of Object.keys(this.config.personas)) delete this.config.personas[key];
    Object.assign(this.config.personas, initial.personas);
    this.timers.clear();
    for (const queue of this.ultramsgQueues.values()) queue.clear();
    this.ultramsgQueues.clear();
    this.cloudBatcher.close();
    this.cloudDeliverer.clear();
    this.ultramsgDeliverer.clear();
    const s = this.state;
    for (const collection of [s.throughput, s.pairs, s.windows, s.tiers, s.marketing, s.messages, s.inbound, s.personaCounters, s.correlation.cloud, s.correlation.ultramsg, s.ultramsgMessages, s.ultramsgReceived]) collection.clear();
    s.received.clear();
    s.webhooks.clear();
    s.duplicates.clear();
    s.media.clear();
    s.stats = { ...s.stats, ...Object.fromEntries(Object.keys(s.stats).map((k) => [k, 0])), errorsByCode: {} };
    this.#loadState();
  }

  async close(): Promise<void> {
    this.timers.close();
    this.cloudBatcher.close();
    await Promise.all([this.cloudDeliverer.close(), this.ultramsgDeliverer.close()]);
  }
}


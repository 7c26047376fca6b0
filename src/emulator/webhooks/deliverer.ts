import { Agent, request } from 'undici';
import type { SeededRandom } from '../shared/random.js';
import type { TimerQueue } from '../shared/timer-queue.js';
import type { EmulatorState, WebhookRecord } from '../state.js';
import type { Behaviour, Faults, Surface } from '../types.js';

/**
 * The user agent each surface's webhooks carry. Meta posts with `facebookexternalua`. UltraMsg documents none
 * (no source shows the header of its webhook posts), so its surface uses a neutral agent that claims to be
 * nobody else: receivers must not tell providers apart by user agent anyway.
 */
export const WEBHOOK_USER_AGENTS: Readonly<Record<Surface, string>> = {
  cloud: 'facebookexternalua',
  ultramsg: 'parley-emulator/ultramsg-webhook',
};

interface Delivery {
  record: WebhookRecord;
  bytes: Buffer;
}

export interface DelivererOptions {
  surface: Surface;
  url: () => string | undefined;
  headers: (body: Buffer) => Record<string, string>;
  /** The `user-agent` of every POST: each provider's own (see `WEBHOOK_USER_AGENTS`). */
  userAgent: string;
  behaviour: () => Behaviour;
  faults: () => Faults;
  random: SeededRandom;
  timers: TimerQueue;
  state: EmulatorState;
  now: () => number;
}

/**
 * Posts webhook bodies to the receiver, at least once:
 * - a POST succeeds on any 2xx; a non-2xx, a connection error, a timeout (`webhookTimeoutMs`) or an outage
 *   (fault `webhookOutage`) is a failed attempt, retried with exponential backoff and jitter up to
 *   `retry.maxAttempts`, then dropped (counted);
 * - a delivered body is posted again with probability `duplicateRate` (a duplicate, flagged in the log);
 * - at most `webhookConcurrency` POSTs are in flight; bodies wait while no URL is set;
 * - at most `maxPendingEvents` events wait; the oldest bodies are dropped beyond that (bounded memory).
 */
export class WebhookDeliverer {
  #ready: Delivery[] = [];
  #head = 0;
  #inFlight = 0;
  #scheduled = 0;
  #pendingEvents = 0;
  #closed = false;
  #idleWaiters: Array<() => void> = [];
  readonly #agent = new Agent({ keepAliveTimeout: 10_000, connections: 256 });

  constructor(private readonly options: DelivererOptions) {}

  /** Queues one body (already serialized: the signature covers these exact bytes). */
  post(bytes: Buffer, payload: unknown, events: number, duplicate = false): void {
    if (this.#closed) return;
    const record: WebhookRecord = { surface: this.options.surface, createdAt: this.options.now(), payload, events, attempts: 0, state: 'pending', duplicate };
    this.options.state.webhooks.push(record);
    this.#pendingEvents += events;
    this.#ready.push({ record, bytes });
    this.#enforceBound();
    this.#pump();
  }

  /** Call when the URL changes: bodies waiting for a URL go out. */
  wake(): void {
    this.#pump();
  }

  get pending(): number {
    return this.#ready.length - this.#head + this.#inFlight + this.#scheduled;
  }

  /** Resolves when nothing is waiting, in flight or scheduled for retry. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  clear(): void {
    for (let i = this.#head; i < this.#ready.length; i++) this.#ready[i].record.state = 'dropped';
    this.#ready = [];
    this.#head = 0;
    this.#pendingEvents = 0;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.clear();
    await this.#agent.close().catch(() => {});
  }

  #enforceBound(): void {
    const max = this.options.state.config.memory.maxPendingEvents;
    while (this.#pendingEvents > max && this.#head < this.#ready.length - 1) {
      const dropped = this.#ready[this.#head++];
      dropped.record.state = 'dropped';
      this.#pendingEvents -= dropped.record.events;
      this.options.state.stats.webhooksDropped++;
    }
  }

  #pump(): void {
    const url = this.options.url();
    if (!url || this.#closed) return;
    const limit = this.options.behaviour().webhookConcurrency;
    while (this.#inFlight < limit && this.#head < this.#ready.length) {
      const delivery = this.#ready[this.#head++];
      if (this.#head > 1024 && this.#head * 2 > this.#ready.length) {
        this.#ready = this.#ready.slice(this.#head);
        this.#head = 0;
      }
      this.#pendingEvents -= delivery.record.events;
      this.#inFlight++;
      void this.#attempt(delivery, url).finally(() => {
        this.#inFlight--;
        this.#pump();
        this.#checkIdle();
      });
    }
  }

  #checkIdle(): void {
    if (this.pending !== 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }

  async #attempt(delivery: Delivery, url: string): Promise<void> {
    const { record } = delivery;
    const behaviour = this.options.behaviour();
    const stats = this.options.state.stats;
    record.attempts++;
    let ok = false;
    if (this.options.faults().webhookOutage) {
      record.lastError = 'webhook outage (fault injected)';
    } else {
      try {
        const response = await request(url, {
          method: 'POST',
          dispatcher: this.#agent,
          headers: { 'content-type': 'application/json', 'user-agent': this.options.userAgent, ...this.options.headers(delivery.bytes) },
          body: delivery.bytes,
          // A receiver slower than the timeout counts as failed (and may see the body again: at least once).
          signal: AbortSignal.timeout(behaviour.webhookTimeoutMs),
        });
        await response.body.dump();
        record.lastStatus = response.statusCode;
        ok = response.statusCode >= 200 && response.statusCode < 300;
        if (!ok) record.lastError = `HTTP ${response.statusCode}`;
      } catch (error) {
        record.lastError = (error as Error).message || String(error);
      }
    }
    stats.webhooksPosted += ok ? 1 : 0;
    if (ok) {
      record.state = 'delivered';
      record.deliveredAt = this.options.now();
      stats.webhookEventsDelivered += record.events;
      if (record.duplicate) stats.webhookDuplicatesPosted++;
      else if (this.options.random.chance(behaviour.duplicateRate)) this.#duplicate(delivery);
      return;
    }
    stats.webhookAttemptsFailed++;
    if (record.attempts >= behaviour.retry.maxAttempts) {
      record.state = 'dropped';
      stats.webhooksDropped++;
      return;
    }
    const base = Math.min(behaviour.retry.maxDelayMs, behaviour.retry.initialDelayMs * 2 ** (record.attempts - 1));
    const delay = Math.round(base * (0.5 + this.options.random.next() / 2));
    this.#scheduled++;
    this.options.timers.after(delay, () => {
      this.#scheduled--;
      this.#ready.push(delivery);
      this.#pendingEvents += record.events;
      this.#pump();
      this.#checkIdle();
    });
  }

  #duplicate(delivery: Delivery): void {
    const delay = this.options.random.between([0, this.options.behaviour().batchWindowMs * 2 + 50]);
    this.#scheduled++;
    this.options.timers.after(delay, () => {
      this.#scheduled--;
      this.post(delivery.bytes, delivery.record.payload, delivery.record.events, true);
      this.#checkIdle();
    });
  }
}

import type { EmulatorCore } from '../core.js';
import { recipientFailure } from '../rules/recipient-state.js';
import type { UltraMsgInstance } from '../types.js';
import { outgoingEvent } from './payloads.js';
import { QUEUE_EXPIRY_MS, sendDelayFor } from './send-delay.js';
import type { UltraMsgAck, UltraMsgMessage } from './types.js';

/** Only an authenticated instance sends its queue (`instance-state.ts`). */
export const isSending = (instance: UltraMsgInstance): boolean => instance.state === 'authenticated';

/** The instance's queue, created on first use. */
export function queueFor(core: EmulatorCore, instance: UltraMsgInstance): UltraMsgQueue {
  let queue = core.ultramsgQueues.get(instance.instanceId) as UltraMsgQueue | undefined;
  if (!queue) core.ultramsgQueues.set(instance.instanceId, (queue = new UltraMsgQueue(core, instance)));
  return queue;
}

/**
 * An instance's send queue, on emulator time. UltraMsg sends one message at a time, lowest `priority`
 * first (0 = OTP, 10 = default/bulk), first-in first-out within a priority; after each message the
 * instance waits `sendDelay`, growing to `sendDelayMax` once 10 or more are queued (`send-delay.ts`).
 * A message still queued 24 hours after it joined the queue becomes `expired` (also while the instance
 * is disconnected). Leaving the queue, a message is `sent` (or `invalid` when the number is not on
 * WhatsApp) and its acks follow: `message_create` (ack pending), then `message_ack` server → device →
 * read (→ played for audio, voice and video).
 *
 * Time: the queue waits on the emulator's clock. A real timer wakes it when the next message is due;
 * when the control API moves the clock forward (`POST /_emulator/clock/advance`), `catchUp` sends at
 * once, in order and with their delays, the messages that would have left meanwhile, and expires the
 * ones that would have waited 24 hours. A catch-up takes messages in priority order as the queue
 * stands at the jump.
 */
export class UltraMsgQueue {
  #buckets = new Map<number, UltraMsgMessage[]>();
  #size = 0;
  /** Emulator time at which the instance may send its next message. */
  #freeAt = 0;
  /** A pump is scheduled for the next turn of the event loop. */
  #immediate = false;
  /** The due time of the armed real timer, and its generation (older timers do nothing when they fire). */
  #timerDue: number | undefined;
  #generation = 0;

  constructor(
    private readonly core: EmulatorCore,
    private readonly instance: UltraMsgInstance,
  ) {}

  get size(): number {
    return this.#size;
  }

  push(message: UltraMsgMessage): void {
    const bucket = this.#buckets.get(message.priority) ?? [];
    bucket.push(message);
    this.#buckets.set(message.priority, bucket);
    this.#size++;
    this.#arm();
  }

  /** Schedules the next send (or expiry): after a push, a reconnect or a settings change. */
  resume(): void {
    this.#arm();
  }

  /** Sends and expires what emulator time has made due (called when the clock moves forward). */
  catchUp(): void {
    this.#pump();
  }

  /** Removes queued messages (`messages/clear` with status queue). */
  clear(): number {
    const n = this.#size;
    for (const bucket of this.#buckets.values()) for (const m of bucket) m.status = 'unsent';
    this.#buckets.clear();
    this.#size = 0;
    return n;
  }

  #peek(): UltraMsgMessage | undefined {
    let best: number | undefined;
    for (const [priority, bucket] of this.#buckets) if (bucket.length && (best === undefined || priority < best)) best = priority;
    return best === undefined ? undefined : this.#buckets.get(best)![0];
  }

  #take(message: UltraMsgMessage): void {
    const bucket = this.#buckets.get(message.priority)!;
    bucket.shift();
    if (!bucket.length) this.#buckets.delete(message.priority);
    this.#size--;
  }

  /** The earliest emulator time something happens: the next send (when connected) or the next expiry. */
  #due(): number | undefined {
    let due: number | undefined;
    // Within a bucket messages are in queue order, so each bucket's head expires first.
    for (const bucket of this.#buckets.values()) if (bucket.length) due = Math.min(due ?? Infinity, bucket[0].queuedAt + QUEUE_EXPIRY_MS);
    const head = this.#peek();
    if (head && isSending(this.instance)) due = Math.min(due ?? Infinity, Math.max(this.#freeAt, head.queuedAt));
    return due;
  }

  #arm(): void {
    const due = this.#due();
    if (due === undefined) return;
    const now = this.core.clock.now();
    if (due <= now) {
      if (this.#immediate) return;
      this.#immediate = true;
      // Let requests that arrive together queue up before the first leaves, so priority decides.
      setImmediate(() => this.#pump());
      return;
    }
    if (this.#timerDue !== undefined && this.#timerDue <= due) return;
    const generation = ++this.#generation;
    this.#timerDue = due;
    this.core.timers.after(due - now, () => {
      if (generation !== this.#generation) return;
      this.#timerDue = undefined;
      this.#pump();
    });
  }

  #pump(): void {
    this.#immediate = false;
    const now = this.core.clock.now();
    while (isSending(this.instance)) {
      const message = this.#peek();
      if (!message) break;
      const leaveAt = Math.max(this.#freeAt, message.queuedAt);
      if (leaveAt > now) break;
      const queued = this.#size;
      this.#take(message);
      if (leaveAt >= message.queuedAt + QUEUE_EXPIRY_MS) {
        message.status = 'expired';
        continue;
      }
      this.#send(message, leaveAt);
      this.#freeAt = leaveAt + sendDelayFor(queued, this.instance.sendDelayMs, this.instance.sendDelayMaxMs);
      // Only a clock jump sends several in one go; in real time the next one waits for its turn.
      if (this.#freeAt >= now) break;
    }
    this.#expire(now);
    this.#arm();
  }

  /** Marks every message queued 24 hours or more `expired` and takes it out of the queue. */
  #expire(now: number): void {
    for (const [priority, bucket] of this.#buckets) {
      const keep = bucket.filter((m) => {
        if (m.queuedAt + QUEUE_EXPIRY_MS > now) return true;
        m.status = 'expired';
        return false;
      });
      this.#size -= bucket.length - keep.length;
      if (keep.length) this.#buckets.set(priority, keep);
      else this.#buckets.delete(priority);
    }
  }

  #send(message: UltraMsgMessage, now: number): void {
    const core = this.core;
    const digits = message.to.split('@')[0];
    if (message.to.endsWith('@c.us') && recipientFailure(core.state.customer(digits), digits, core.config.behaviour.undeliverablePrefixes, false)) {
      message.status = 'invalid';
      return;
    }
    message.status = 'sent';
    message.sentAt = now;
    message.ack = 'pending';
    const instance = this.instance;
    const b = core.config.behaviour;
    if (instance.webhookMessageCreate) core.emitUltraMsg(outgoingEvent('message_create', instance, message, 'pending', now, b.ultramsgAckIds));
    const r = core.random;
    const ack = (value: UltraMsgAck) => {
      message.ack = value;
      if (!instance.webhookMessageAck) return;
      // A dropped ack never reaches the webhook; the message list still shows it.
      if (r.chance(core.config.faults.ultramsgAckDropRate)) {
        core.state.stats.faultsInjected++;
        return;
      }
      core.emitUltraMsg(outgoingEvent('message_ack', instance, message, value, core.clock.now(), core.config.behaviour.ultramsgAckIds));
    };
    const server = r.between(b.statusLatencyMs.sent);
    core.timers.after(server, () => ack('server'));
    if (!r.chance(b.deliveredRate)) return;
    const device = server + r.between(b.statusLatencyMs.delivered);
    core.timers.after(device, () => ack('device'));
    if (!r.chance(b.readRate)) return;
    const read = device + r.between(b.statusLatencyMs.read);
    core.timers.after(read, () => ack('read'));
    if (['audio', 'ptt', 'video'].includes(message.type)) core.timers.after(read + r.between(b.statusLatencyMs.read), () => ack('played'));
  }
}

import type { EmulatorCore } from '../core.js';
import { recipientFailure } from '../rules/recipient-state.js';
import type { UltraMsgInstance } from '../types.js';
import { outgoingEvent } from './payloads.js';
import type { UltraMsgAck, UltraMsgMessage } from './types.js';

/**
 * An instance's send queue. UltraMsg sends one message at a time, `sendDelay` apart, lowest `priority`
 * first (0 = OTP, 10 = default/bulk), first-in first-out within a priority. Leaving the queue, a message
 * is `sent` (or `invalid` when the number is not on WhatsApp) and its acks follow: `message_create`
 * (ack pending), then `message_ack` server → device → read (→ played for audio, voice and video).
 */
export class UltraMsgQueue {
  #buckets = new Map<number, UltraMsgMessage[]>();
  #size = 0;
  #draining = false;

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
    this.resume();
  }

  /** Starts draining if there is something to send and the instance is connected. */
  resume(): void {
    if (!this.#draining && this.#size && this.instance.connected) {
      this.#draining = true;
      // Let requests that arrive together queue up before the first leaves, so priority decides.
      setImmediate(() => this.#next());
    }
  }

  /** Removes queued messages (`messages/clear` with status queue). */
  clear(): number {
    const n = this.#size;
    for (const bucket of this.#buckets.values()) for (const m of bucket) m.status = 'unsent';
    this.#buckets.clear();
    this.#size = 0;
    return n;
  }

  #take(): UltraMsgMessage | undefined {
    let best: number | undefined;
    for (const [priority, bucket] of this.#buckets) if (bucket.length && (best === undefined || priority < best)) best = priority;
    if (best === undefined) return undefined;
    const bucket = this.#buckets.get(best)!;
    const message = bucket.shift()!;
    if (!bucket.length) this.#buckets.delete(best);
    this.#size--;
    return message;
  }

  #next(): void {
    if (!this.instance.connected) {
      this.#draining = false;
      return;
    }
    const message = this.#take();
    if (!message) {
      this.#draining = false;
      return;
    }
    this.#send(message);
    if (this.instance.sendDelayMs > 0) this.core.timers.after(this.instance.sendDelayMs, () => this.#next());
    else setImmediate(() => this.#next());
  }

  #send(message: UltraMsgMessage): void {
    const core = this.core;
    const now = core.clock.now();
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

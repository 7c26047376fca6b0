import type { SeededRandom } from '../shared/random.js';
import type { TimerQueue } from '../shared/timer-queue.js';
import type { Behaviour, CloudNumber } from '../types.js';
import { envelope, messagesValue } from './cloud-payloads.js';
import type { WebhookDeliverer } from './deliverer.js';
import { metaJson } from './sign.js';

/** One thing to tell the Cloud webhook receiver. */
export type CloudEvent =
  | { kind: 'status'; phoneNumberId: string; status: Record<string, unknown> }
  | { kind: 'message'; phoneNumberId: string; message: Record<string, unknown>; contact?: Record<string, unknown> }
  | { kind: 'errors'; phoneNumberId: string; errors: Array<Record<string, unknown>> }
  /** Another subscription field (`message_template_status_update`, ...): posted alone with `entry.time`. */
  | { kind: 'field'; field: string; value: Record<string, unknown>; at: number };

export interface BatcherOptions {
  wabaId: () => string;
  number: (phoneNumberId: string) => CloudNumber | undefined;
  behaviour: () => Behaviour;
  random: SeededRandom;
  timers: TimerQueue;
  deliverer: WebhookDeliverer;
}

/**
 * Gathers Cloud events for `batchWindowMs` (or until `maxBatchSize`) and posts them as one body, like Meta:
 * consecutive statuses of one number share a change's `statuses[]`; each inbound message is a change of
 * its own with its `contacts[]`. With probability `reorderRate` an event is held back `reorderDelayMs` so
 * that later ones overtake it (a read before its delivered, as Meta warns).
 */
export class CloudBatcher {
  #pending: CloudEvent[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: BatcherOptions) {}

  add(event: CloudEvent): void {
    const behaviour = this.options.behaviour();
    if (event.kind === 'field') {
      const payload = envelope(this.options.wabaId(), [{ value: event.value, field: event.field }], event.at);
      this.options.deliverer.post(metaJson(payload), payload, 1);
      return;
    }
    if (this.options.random.chance(behaviour.reorderRate)) {
      this.options.timers.after(behaviour.reorderDelayMs, () => this.#push(event));
      return;
    }
    this.#push(event);
  }

  #push(event: CloudEvent): void {
    this.#pending.push(event);
    const behaviour = this.options.behaviour();
    if (this.#pending.length >= behaviour.maxBatchSize) this.flush();
    else if (!this.#timer) this.#timer = setTimeout(() => this.flush(), behaviour.batchWindowMs);
  }

  get pending(): number {
    return this.#pending.length;
  }

  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#pending.length) return;
    const events = this.#pending;
    this.#pending = [];
    const changes: Array<{ value: Record<string, unknown>; field: string }> = [];
    let statusChange: { phoneNumberId: string; statuses: unknown[] } | undefined;
    for (const event of events) {
      if (event.kind === 'field') continue;
      const number = this.options.number(event.phoneNumberId);
      if (!number) continue;
      if (event.kind === 'status') {
        if (statusChange && statusChange.phoneNumberId === event.phoneNumberId) {
          statusChange.statuses.push(event.status);
          continue;
        }
        statusChange = { phoneNumberId: event.phoneNumberId, statuses: [event.status] };
        changes.push({ value: messagesValue(number, { statuses: statusChange.statuses }), field: 'messages' });
        continue;
      }
      statusChange = undefined;
      if (event.kind === 'message') {
        const part = event.contact ? { contacts: [event.contact], messages: [event.message] } : { messages: [event.message] };
        changes.push({ value: messagesValue(number, part), field: 'messages' });
      } else {
        changes.push({ value: messagesValue(number, { errors: event.errors }), field: 'messages' });
      }
    }
    if (!changes.length) return;
    const payload = envelope(this.options.wabaId(), changes);
    this.options.deliverer.post(metaJson(payload), payload, events.length);
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = [];
  }
}

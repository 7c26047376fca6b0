import type { ParleyContext } from '../../runtime/context.js';
import type { Sender, SenderCredentials } from '../../senders/sender-queries.js';
import type { ChannelAdapter } from '../../channels/port.js';
import type { StatusItem } from '../../channels/webhook-items.js';
import { applyPolledStatuses } from '../../webhooks/process/apply-polled-statuses.js';

/** Pages (of 100, newest first) read per state and check: up to 500 messages a state. */
const MAX_PAGES = 5;

/**
 * What a provider that queues messages itself (UltraMsg's instance) does with them after accepting
 * them, beyond its webhooks: run by the worker holding the sender, at start and every
 * `PARLEY_ULTRAMSG_QUEUE_CHECK_MS`.
 *
 * - Pacing: asks the adapter how fast the provider can send for the sender (`maxRate`; UltraMsg: one
 *   message per `sendDelay`, `channels/ultramsg/pacing.ts`) and caps the sender's rate there, so Parley
 *   never fills the provider's queue.
 * - Given up: the provider sends no webhook when a message ends in some queue states (UltraMsg:
 *   expired after 24 h queued, invalid when not on WhatsApp, unsent); the watch lists those states
 *   (`givenUpStates`, `listByState`) and ends Parley's messages by the adapter's mapping
 *   (`listedStatus`; UltraMsg's in `channels/ultramsg/queue-status.ts`: expired → `expired`, invalid
 *   and unsent → `failed`; each a dead letter and a `message.status` event). Receipts make a second
 *   reading of the same state a no-op.
 *
 * It runs only with an adapter that can read the provider's pace or queue; failures are logged and
 * tried again at the next check.
 */
export class ProviderQueueWatch {
  #timer?: NodeJS.Timeout;
  #stopped = false;
  #running: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: ParleyContext,
    private readonly adapter: ChannelAdapter,
    private readonly sender: () => Sender,
    private readonly credentials: SenderCredentials,
    private readonly onMaxRate: (messagesPerSecond: number) => void,
  ) {}

  static wanted(adapter: ChannelAdapter): boolean {
    return typeof adapter.maxRate === 'function' || typeof adapter.listByState === 'function';
  }

  start(): void {
    this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  #run(): void {
    if (this.#stopped) return;
    this.#running = this.checkOnce()
      .then(() => undefined)
      .catch((err: unknown) => this.ctx.logger.warn({ err, sender: this.sender().id }, 'reading the UltraMsg instance (pacing, given-up messages) failed; trying again at the next check'))
      .finally(() => {
        if (!this.#stopped) this.#timer = setTimeout(() => this.#run(), this.ctx.config.ultramsgQueueCheckMs);
      });
  }

  /** One check: the instance's pacing, then each given-up state. Returns the number of messages ended. */
  async checkOnce(): Promise<number> {
    const sender = this.sender();
    if (this.adapter.maxRate) this.onMaxRate(await this.adapter.maxRate(sender, this.credentials));
    const { listByState, listedStatus, givenUpStates } = this.adapter;
    if (!listByState || !listedStatus || !givenUpStates) return 0;
    let ended = 0;
    for (const state of givenUpStates) {
      for (let page = 1; page <= MAX_PAGES && !this.#stopped; page++) {
        const listed = await listByState.call(this.adapter, sender, this.credentials, state, page);
        const at = this.ctx.clock.now();
        const items: StatusItem[] = [];
        for (const m of listed.messages) {
          const mapped = listedStatus.call(this.adapter, m.status || state, m.ack);
          if (!mapped) continue;
          items.push({ kind: 'status', provider: this.adapter.provider, route: { senderId: sender.id }, providerMessageId: m.id, ...(m.referenceId ? { parleyMessageId: m.referenceId } : {}), at, ...mapped });
        }
        ended += await applyPolledStatuses(this.ctx, sender.workspaceId, items);
        if (page >= listed.pages || listed.messages.length === 0) break;
      }
    }
    return ended;
  }
}

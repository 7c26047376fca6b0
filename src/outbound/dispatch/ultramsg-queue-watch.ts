import type { ParleyContext } from '../../runtime/context.js';
import type { Sender, SenderCredentials } from '../../senders/sender-queries.js';
import type { ChannelAdapter } from '../../channels/port.js';
import { ULTRAMSG_FAILED_STATES, ultramsgQueueStatus } from '../../channels/ultramsg/queue-status.js';
import { ultramsgMaxRate } from '../../channels/ultramsg/pacing.js';
import type { StatusItem } from '../../channels/webhook-items.js';
import { applyPolledStatuses } from '../../webhooks/process/apply-polled-statuses.js';

/** Pages (of 100, newest first) read per state and check: up to 500 messages a state. */
const MAX_PAGES = 5;

/**
 * What an UltraMsg instance does with messages after accepting them, beyond its webhooks: run by the
 * worker holding the sender, at start and every `PARLEY_ULTRAMSG_QUEUE_CHECK_MS`.
 *
 * - Pacing: reads the instance's `sendDelay` and caps the sender's rate at one message per delay
 *   (`channels/ultramsg/pacing.ts`), so Parley never fills the instance's queue.
 * - Given up: UltraMsg sends no webhook when a message expires (24 h queued), is invalid (not on
 *   WhatsApp) or unsent; the watch lists those states and ends Parley's messages by the mapping of
 *   `channels/ultramsg/queue-status.ts` (expired → `expired`, invalid and unsent → `failed`; each a
 *   dead letter and a `message.status` event). Receipts make a second reading of the same state a no-op.
 *
 * It runs only with an adapter that can read the provider (the UltraMsg adapter); failures are logged
 * and tried again at the next check.
 */
export class UltraMsgQueueWatch {
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

  /** The pace before the instance's settings are read: UltraMsg's default `sendDelay` (1 s). */
  static readonly initialMaxRate = ultramsgMaxRate(undefined);

  static wanted(adapter: ChannelAdapter): boolean {
    return adapter.provider === 'ultramsg' && (typeof adapter.maxRate === 'function' || typeof adapter.listByState === 'function');
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
    if (!this.adapter.listByState) return 0;
    let ended = 0;
    for (const state of ULTRAMSG_FAILED_STATES) {
      for (let page = 1; page <= MAX_PAGES && !this.#stopped; page++) {
        const listed = await this.adapter.listByState(sender, this.credentials, state, page);
        const at = this.ctx.clock.now();
        const items: StatusItem[] = [];
        for (const m of listed.messages) {
          const mapped = ultramsgQueueStatus(m.status || state, m.ack);
          if (!mapped) continue;
          items.push({ kind: 'status', provider: 'ultramsg', route: { senderId: sender.id }, providerMessageId: m.id, ...(m.referenceId ? { parleyMessageId: m.referenceId } : {}), at, ...mapped });
        }
        ended += await applyPolledStatuses(this.ctx, sender.workspaceId, items);
        if (page >= listed.pages || listed.messages.length === 0) break;
      }
    }
    return ended;
  }
}

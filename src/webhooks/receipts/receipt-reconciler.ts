import { Counter, type Registry } from 'prom-client';
import type { BackgroundWorker, ParleyContext } from '../../runtime/context.js';
import { senderCredentials, type Sender } from '../../senders/sender-queries.js';
import { HttpPools } from '../../channels/http-pools.js';
import { createChannelRegistry, type ChannelRegistry } from '../../channels/registry.js';
import type { ChannelAdapter, ListedReceipt } from '../../channels/port.js';
import { failureBackoff, isDatabaseUnavailable, logLoopFailure } from '../../db/unavailable.js';
import { MINUTE, SECOND } from '../../shared/time.js';
import { applyListedSend, type ReceiptCheckResult } from './apply-listed-send.js';
import type { ReceiptCheckPolicy } from './receipt-check-policy.js';
import { dueReceiptChecks, pruneReceiptChecks } from './receipt-checks.js';

const LOOP = 5 * SECOND;

const counters = new WeakMap<Registry, Counter<'result'>>();
function checkCounter(registry: Registry): Counter<'result'> {
  let counter = counters.get(registry);
  if (!counter) {
    counter = new Counter({ name: 'parley_ultramsg_receipt_checks_total', help: 'UltraMsg sends without a delivery receipt looked up in the message list, by result (applied, learnt, unchanged, not_listed, error).', labelNames: ['result'] as const, registers: [registry] });
    counters.set(registry, counter);
  }
  return counter;
}

/**
 * Reconciles sends that stay without a delivery receipt (decision 0007) through providers that list
 * their sends (`ChannelAdapter.lookupReceipt`; UltraMsg): for the senders this process's dispatcher
 * holds (so one process looks at each sender), sends still `accepted` or `sent` are looked up in the
 * provider's message list by Parley's id (UltraMsg's `referenceId`), a bounded batch
 * per sender and pass, each send backing off (`PARLEY_ULTRAMSG_RECEIPT_CHECK_AFTER_MS`, doubling) and
 * given up after `PARLEY_ULTRAMSG_RECEIPT_CHECKS` looks. What the list says is applied like a webhook.
 */
export class ReceiptReconciler implements BackgroundWorker {
  readonly name = 'receipt-reconciler';
  readonly #ctx: ParleyContext;
  readonly #heldSenders: () => Sender[];
  readonly #pools = new HttpPools(4);
  readonly #channels: ChannelRegistry;
  readonly #everyMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #pass: Promise<void> | undefined;
  #lastPrune = 0;

  constructor(ctx: ParleyContext, heldSenders: () => Sender[], options: { everyMs?: number } = {}) {
    this.#ctx = ctx;
    this.#heldSenders = heldSenders;
    this.#channels = createChannelRegistry(this.#pools, ctx.config);
    this.#everyMs = options.everyMs ?? LOOP;
  }

  get policy(): ReceiptCheckPolicy {
    return { afterMs: this.#ctx.config.ultramsgReceiptCheckAfterMs, maxChecks: this.#ctx.config.ultramsgReceiptChecks };
  }

  start(): void {
    if (this.policy.maxChecks <= 0) return;
    this.#running = true;
    let failures = 0;
    const run = async () => {
      try {
        this.#pass = this.runOnce();
        await this.#pass;
        failures = 0;
      } catch (error) {
        failures++;
        logLoopFailure(this.#ctx.logger, error, failures, 'receipt reconciler loop');
      }
      if (this.#running) this.#timer = setTimeout(() => void run(), Math.max(this.#everyMs, failureBackoff(failures, 250, 3000)));
    };
    this.#timer = setTimeout(() => void run(), this.#everyMs);
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    await this.#pass?.catch(() => {});
    await this.#pools.close();
  }

  /** One pass over the held senders whose provider lists its sends (UltraMsg). */
  async runOnce(): Promise<void> {
    const { db, clock } = this.#ctx;
    const policy = this.policy;
    for (const sender of this.#heldSenders()) {
      const adapter = this.#channels.forSender(sender);
      if (adapter.lookupReceipt) await this.#checkSender(sender, adapter, policy);
    }
    const now = clock.now();
    if (now - this.#lastPrune > 10 * MINUTE) {
      this.#lastPrune = now;
      await pruneReceiptChecks(db, policy, now);
    }
  }

  async #checkSender(sender: Sender, adapter: ChannelAdapter, policy: ReceiptCheckPolicy): Promise<void> {
    const { db, keyring, clock, logger, metrics } = this.#ctx;
    const due = await dueReceiptChecks(db, sender.id, policy, clock.now());
    if (!due.length) return;
    const credentials = await senderCredentials(db, keyring, sender);
    const counts = new Map<ReceiptCheckResult, number>();
    let lastError: unknown;
    for (const candidate of due) {
      let listed: ListedReceipt | undefined;
      let failed = false;
      try {
        listed = await adapter.lookupReceipt!(sender, credentials, candidate.id);
      } catch (error) {
        // The look is counted (it backs off like any other): an instance that cannot answer is not asked harder.
        failed = true;
        lastError = error;
      }
      try {
        const result = await applyListedSend(this.#ctx, sender, candidate, listed, policy, failed);
        counts.set(result, (counts.get(result) ?? 0) + 1);
      } catch (error) {
        if (isDatabaseUnavailable(error)) throw error;
        logger.error({ err: error, message: candidate.id }, 'applying a receipt found in the UltraMsg message list failed');
      }
    }
    for (const [result, n] of counts) checkCounter(metrics.registry).inc({ result }, n);
    if (lastError) logger.warn({ err: lastError, sender: sender.id, failed: counts.get('error') }, 'the UltraMsg message list could not be read for some sends without a receipt');
    if (counts.get('applied')) logger.info({ sender: sender.id, applied: counts.get('applied') }, 'receipts reconciled from the UltraMsg message list');
  }
}

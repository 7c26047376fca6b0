import type { BackgroundWorker, ParleyContext } from '../../runtime/context.js';
import { newId } from '../../shared/ids.js';
import { MINUTE, SECOND } from '../../shared/time.js';
import { getSender, listActiveSenderIds, senderCredentials, type Sender } from '../../senders/sender-queries.js';
import type { ChannelAdapter, ProviderName } from '../../channels/port.js';
import { createChannelRegistry, type ChannelRegistry } from '../../channels/registry.js';
import { HttpPools } from '../../channels/http-pools.js';
import type { Gate } from '../gates/gate.js';
import { outboundMetrics } from '../metrics.js';
import { forgetWorker, heartbeat, leaseHolders, liveWorkerIds, pruneDeadWorkers, releaseLease, renewLeases, tryAcquireLease } from './lease-queries.js';
import { onSyncWindowFailures } from '../window-closed.js';
import { OutcomeWriter } from './outcome-writer.js';
import type { Outcome } from './outcomes.js';
import { reconcileOrphans, type OrphanLookup } from './reconcile.js';
import { InflightBudget, SenderLoop } from './sender-loop.js';
import { expireOverdue } from './sweeper.js';
import { promoteScheduled } from '../../messages/transitions.js';
import type { BreakerOptions } from './circuit-breaker.js';
import { listSenderHealth, recordSenderHealth } from '../../senders/sender-health.js';
import { failureBackoff, logLoopFailure } from '../../db/unavailable.js';
import { pruneTierUsage } from './tier-budget.js';

const LEASE_LOOP = 1 * SECOND;
const SWEEP_LOOP = 1 * SECOND;
const RECONCILE_LOOP = 5 * SECOND;
/** How often the dispatcher looks for UltraMsg instances due for a session check (each has its own interval). */
const INSTANCE_LOOP = 1 * SECOND;
/** Session checks in flight at once, and at most per pass, in one process. */
const INSTANCE_CHECK_CONCURRENCY = 8;
const INSTANCE_CHECKS_PER_PASS = 64;

export interface DispatcherOptions {
  /** The policy gates re-run at dispatch; by default the context's (`main/modules.ts`). */
  gates?: readonly Gate<any>[];
  /** Adapters that replace the registry's real ones (over keep-alive pools), by provider. */
  adapters?: Partial<Record<ProviderName, ChannelAdapter>>;
  /** Called after outcomes are committed (e.g. to match statuses that arrived before the provider id). */
  afterOutcomes?: (ctx: ParleyContext, outcomes: Outcome[]) => void;
  /** Circuit-breaker settings of every sender loop; the defaults are in circuit-breaker.ts. */
  breaker?: Partial<BreakerOptions>;
}

/**
 * The outbound dispatcher of one process. It heartbeats, holds leases on a fair share of the active
 * senders (each sender is sent by exactly one worker at a time; a dead worker's senders are taken over
 * once its leases expire), runs a SenderLoop per held sender, promotes scheduled messages, expires
 * overdue ones, and requeues messages orphaned in flight by a crashed worker.
 */
export class Dispatcher implements BackgroundWorker {
  readonly name = 'dispatcher';
  readonly workerId = newId('wrk');
  readonly #ctx: ParleyContext;
  readonly #options: DispatcherOptions;
  readonly #pools = new HttpPools();
  readonly #channels: ChannelRegistry;
  readonly #writer: OutcomeWriter;
  /** Provider calls in flight at once in this process, all senders together (the pools hold 128 sockets per origin). */
  readonly #inflight = new InflightBudget(512);
  readonly loops = new Map<string, SenderLoop>();
  readonly #startedAt: number;
  readonly #timers: NodeJS.Timeout[] = [];
  #running = false;
  #leaseBusy = false;
  #lastTierPrune = 0;
  /** Until when the leases renewed last are certainly held (renewal time + TTL). */
  #leasesHeldUntil = 0;

  constructor(ctx: ParleyContext, options: DispatcherOptions) {
    this.#ctx = ctx;
    this.#options = options;
    this.#channels = createChannelRegistry(this.#pools, ctx.config, options.adapters);
    this.#writer = new OutcomeWriter(ctx.db, this.workerId, ctx.logger, (outcomes) => {
      onSyncWindowFailures(ctx, outcomes);
      options.afterOutcomes?.(ctx, outcomes);
    });
    this.#startedAt = ctx.clock.now();
  }

  start(): void {
    this.#running = true;
    // Each loop runs every `ms`; a failing pass (the database restarting, say) is retried with a
    // growing delay instead of every `ms`, and the loop carries on once the database is back.
    const every = (ms: number, fn: () => Promise<void>, name: string) => {
      let failures = 0;
      const slot = this.#timers.length;
      const run = async () => {
        try {
          await fn();
          failures = 0;
        } catch (error) {
          failures++;
          logLoopFailure(this.#ctx.logger, error, failures, `dispatcher ${name} loop`);
        }
        if (this.#running) this.#timers[slot] = setTimeout(() => void run(), Math.max(ms, failureBackoff(failures, 250, 3000)));
      };
      this.#timers.push(setTimeout(() => void run(), 0));
    };
    every(LEASE_LOOP, () => this.#leaseLoop(), 'leases');
    every(SWEEP_LOOP, () => this.#sweep(), 'sweep');
    every(RECONCILE_LOOP, () => this.#reconcile(), 'reconcile');
    every(Math.min(INSTANCE_LOOP, this.#ctx.config.ultramsgStatusIntervalMs), () => this.#watchInstances(), 'instance watch');
  }

  async stop(): Promise<void> {
    this.#running = false;
    for (const t of this.#timers) clearTimeout(t);
    while (this.#leaseBusy) await new Promise((r) => setTimeout(r, 5));
    await Promise.all([...this.loops.values()].map((r) => r.stop()));
    await this.#writer.flush();
    this.loops.clear();
    await forgetWorker(this.#ctx.db, this.workerId).catch(() => {});
    await this.#pools.close();
    await this.#channels.close();
  }

  /**
   * Heartbeat, renew, rebalance and acquire leases; start and stop sender loops to match. When the
   * database cannot be reached for longer than the lease TTL, the leases may already be another
   * worker's: this worker stops its senders then, and takes leases again once the database is back.
   */
  async #leaseLoop(): Promise<void> {
    if (!this.#running || this.#leaseBusy) return;
    this.#leaseBusy = true;
    try {
      await this.#renewAndBalance();
    } catch (error) {
      if (this.loops.size && this.#ctx.clock.now() >= this.#leasesHeldUntil) {
        this.#ctx.logger.warn({ worker: this.workerId, senders: [...this.loops.keys()] }, 'leases could not be renewed within their TTL; stopping these senders until the database is back');
        const stopping = [...this.loops.values()];
        this.loops.clear();
        await Promise.all(stopping.map((r) => r.stop()));
      }
      throw error;
    } finally {
      this.#leaseBusy = false;
    }
  }

  async #renewAndBalance(): Promise<void> {
    const { db, config, clock } = this.#ctx;
    const now = clock.now();
    const ttl = config.leaseTtlMs;
    await heartbeat(db, this.workerId, now, this.#startedAt);
    const held = new Set(await renewLeases(db, this.workerId, now, ttl));
    this.#leasesHeldUntil = now + ttl;
    for (const [senderId, loop] of this.loops) {
      if (!held.has(senderId)) {
        this.loops.delete(senderId);
        void loop.stop();
      }
    }
    const senders = await listActiveSenderIds(db);
    const active = new Set(senders);
    for (const [senderId, loop] of this.loops) {
      if (!active.has(senderId)) {
        this.loops.delete(senderId);
        await loop.stop();
        await recordSenderHealth(this.#ctx, { senderId, workspaceId: loop.sender.workspaceId, state: 'paused', reason: 'The sender is disabled.', at: clock.now(), workerId: this.workerId });
        await releaseLease(db, senderId, this.workerId);
      } else {
        const fresh = await getSender(db, senderId);
        if (fresh) loop.update(fresh);
      }
    }
    const live = await liveWorkerIds(db, now - 3 * ttl);
    const share = Math.ceil(senders.length / Math.max(1, live.length));
    // Give back senders beyond this worker's fair share so newly started workers get some.
    while (this.loops.size > share && live.length > 1) {
      const [senderId, loop] = [...this.loops.entries()].at(-1)!;
      this.loops.delete(senderId);
      await loop.stop();
      await releaseLease(db, senderId, this.workerId);
    }
    if (this.loops.size < share) {
      const holders = await leaseHolders(db, now);
      for (const senderId of senders) {
        if (this.loops.size >= share || !this.#running) break;
        if (holders.has(senderId)) continue;
        if (!(await tryAcquireLease(db, senderId, this.workerId, now, ttl))) continue;
        const sender = await getSender(db, senderId);
        if (!sender) continue;
        const loop = new SenderLoop(
          { ctx: this.#ctx, workerId: this.workerId, adapter: this.#channels.forSender(sender), gates: this.#options.gates ?? this.#ctx.gates, writer: this.#writer, metrics: outboundMetrics(this.#ctx.metrics.registry, db), inflightBudget: this.#inflight, breaker: this.#options.breaker },
          sender,
          await senderCredentials(db, this.#ctx.keyring, sender),
        );
        this.loops.set(senderId, loop);
        loop.start((await listSenderHealth(db, sender.workspaceId)).get(senderId));
        this.#ctx.logger.info({ sender: senderId, worker: this.workerId }, 'sender lease acquired');
      }
    }
    if (Math.random() < 0.05) await pruneDeadWorkers(db, now - 10 * MINUTE);
  }

  async #sweep(): Promise<void> {
    if (!this.#running) return;
    const { db, store, clock, signals } = this.#ctx;
    const now = clock.now();
    for (const promoted of await promoteScheduled(db, now)) if (promoted.sender_id) signals.outboxQueued(promoted.sender_id);
    await expireOverdue(db, now);
    for (const loop of this.loops.values()) loop.prune(now);
    if (now - this.#lastTierPrune > MINUTE) {
      this.#lastTierPrune = now;
      await pruneTierUsage(store, now);
    }
  }

  /**
   * Checks the session of each held UltraMsg sender that is due (`instance-watch.ts`): bounded to
   * `INSTANCE_CHECK_CONCURRENCY` calls at once and `INSTANCE_CHECKS_PER_PASS` per pass; the rest wait
   * for the next pass. Only the lease holder checks a sender, so each instance is checked by one worker.
   */
  async #watchInstances(): Promise<void> {
    if (!this.#running) return;
    const now = this.#ctx.clock.now();
    const due = [...this.loops.values()].filter((r) => r.instance?.due(now)).slice(0, INSTANCE_CHECKS_PER_PASS);
    for (let i = 0; i < due.length && this.#running; i += INSTANCE_CHECK_CONCURRENCY) await Promise.all(due.slice(i, i + INSTANCE_CHECK_CONCURRENCY).map((r) => r.checkInstance()));
  }

  async #reconcile(): Promise<void> {
    if (!this.#running) return;
    const { db, config, clock, logger } = this.#ctx;
    const now = clock.now();
    const live = (await liveWorkerIds(db, now - 3 * config.leaseTtlMs)).filter((id) => id !== this.workerId);
    // This worker's own claims are live only while in its in-flight sets (its writer may still hold outcomes).
    const pass = await reconcileOrphans(this.#ctx, [...live, ...(this.#writer.pending > 0 || this.#hasInflight() ? [this.workerId] : [])], config.inflightGraceMs, now, this.#orphanLookup());
    if (pass.requeued.length) {
      outboundMetrics(this.#ctx.metrics.registry, db).resentAfterCrash.inc(pass.requeued.length);
      logger.warn({ count: pass.requeued.length }, 'requeued messages orphaned in flight by a stopped worker');
    }
    if (pass.recorded.length) logger.warn({ count: pass.recorded.length }, 'messages orphaned in flight by a stopped worker were found at the provider: recorded, not sent again');
    if (pass.waiting.length) logger.warn({ err: pass.lastError, count: pass.waiting.length }, 'the provider could not say whether it got messages orphaned in flight; asking again at the next pass');
    if (pass.ended.length) logger.error({ err: pass.lastError, count: pass.ended.length }, 'messages orphaned in flight ended failed: their provider could not say for too long whether it got them');
  }

  /**
   * Asks the adapter of an orphan's sender whether the provider got it (`ChannelAdapter.findSend`); a
   * sender whose circuit this worker holds open is not asked (it counts as no answer). Senders are read
   * once per pass.
   */
  #orphanLookup(): OrphanLookup {
    const { db, keyring } = this.#ctx;
    const senders = new Map<string, Promise<Sender | undefined>>();
    return async (orphan) => {
      if (!orphan.senderId) return undefined;
      let read = senders.get(orphan.senderId);
      if (!read) senders.set(orphan.senderId, (read = getSender(db, orphan.senderId)));
      const sender = await read;
      const adapter = sender && this.#channels.forSender(sender);
      if (!sender || !adapter?.findSend) return undefined;
      const breaker = this.loops.get(sender.id)?.breaker;
      if (breaker?.state === 'open') throw new Error(`the sender's circuit is open: ${breaker.lastFailure}`);
      return adapter.findSend(sender, await senderCredentials(db, keyring, sender), orphan.id);
    };
  }

  #hasInflight(): boolean {
    for (const r of this.loops.values()) if (r.inflight.size) return true;
    return false;
  }
}

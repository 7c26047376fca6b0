import { sql } from 'kysely';
import { Agent } from 'undici';
import type { Db } from '../db/database.js';
import { failureBackoff, logLoopFailure } from '../db/unavailable.js';
import type { BackgroundWorker, ParleyContext } from '../runtime/context.js';
import { DAY, HOUR, SECOND } from '../shared/time.js';
import { retryDelay } from './backoff.js';
import { deliverOne } from './deliver-one.js';
import { guardedLookup } from '../net/guarded-lookup.js';
import { eventMetricsFor } from './metrics.js';
import { lockedForClaim } from '../db/claim-lock.js';

/** Delivered deliveries (and events with none left) are forgotten after this long. */
const RETENTION = 7 * DAY;

type Due = {
  id: string;
  attempts: number;
  created_at: number;
  event_id: string;
  type: string;
  workspace_id: string;
  event_created_at: number;
  payload: string;
  subscription_id: string;
  ordering_key: string | null;
  sequence: number | null;
  url: string | null;
  secret: string | null;
  enabled: number | null;
};

/**
 * Delivers the event outbox to business systems: claims due deliveries, posts them signed and in
 * parallel, and records each result. Failures are retried with exponential backoff and jitter until
 * the delivery is older than PARLEY_EVENTS_MAX_AGE_HOURS; then it is dead (dead-letter list).
 *
 * Per resource, in order: a delivery whose event has an ordering key is created `waiting` when an
 * earlier delivery of that key to the same subscription is unfinished, and is made `pending` when that
 * one ends (delivered or dead). So while one status of a message is being retried, the later ones wait
 * behind it (head-of-line blocking per resource and subscription, not per subscription).
 */
export class EventDeliveryWorker implements BackgroundWorker {
  readonly name = 'event-delivery';
  readonly #ctx: ParleyContext;
  readonly #agent: Agent;
  readonly #random: () => number;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #lastPurge = 0;
  #failures = 0;

  constructor(ctx: ParleyContext, options: { random?: () => number } = {}) {
    this.#ctx = ctx;
    this.#random = options.random ?? Math.random;
    // Resolved addresses are checked on every connection unless the operator allows private targets.
    this.#agent = new Agent({ connect: ctx.config.eventsAllowPrivateTargets ? {} : { lookup: guardedLookup as never }, connections: 8 });
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
    await this.#agent.close();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let n = 0;
      try {
        n = await this.runOnce();
        await this.#purge();
        this.#failures = 0;
      } catch (error) {
        this.#failures++;
        logLoopFailure(this.#ctx.logger, error, this.#failures, 'event delivery pass');
      }
      if ((n > 0 && !this.#failures) || !this.#running) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(500, failureBackoff(this.#failures)));
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Claims and attempts one batch of due deliveries; returns how many were attempted. */
  async runOnce(): Promise<number> {
    const { db, clock, config } = this.#ctx;
    const now = clock.now();
    const lease = config.eventsTimeoutMs + 30 * SECOND;
    const due = db.selectFrom('event_deliveries').select('id').where('state', '=', 'pending').where('next_attempt_at', '<=', now).orderBy('next_attempt_at').limit(config.eventsConcurrency);
    const claimed = await db
      .updateTable('event_deliveries')
      .set((eb) => ({ next_attempt_at: now + lease, attempts: eb('attempts', '+', 1), updated_at: now }))
      .where('id', 'in', lockedForClaim(due, this.#ctx.store.dialect))
      .returning('id')
      .execute();
    if (!claimed.length) return 0;
    const rows: Due[] = await db
      .selectFrom('event_deliveries as d')
      .innerJoin('event_outbox as e', 'e.id', 'd.event_id')
      .leftJoin('event_subscriptions as s', 's.id', 'd.subscription_id')
      .select(['d.id', 'd.attempts', 'd.created_at', 'd.event_id', 'd.subscription_id', 'd.ordering_key', 'd.sequence', 'e.type', 'e.workspace_id', 'e.created_at as event_created_at', 'e.payload', 's.url', 's.secret', 's.enabled'])
      .where('d.id', 'in', claimed.map((c) => c.id))
      .execute();
    await Promise.all(rows.map((row) => this.#attempt(row)));
    return rows.length;
  }

  async #attempt(row: Due): Promise<void> {
    const { clock, config, keyring } = this.#ctx;
    const metrics = eventMetricsFor(this.#ctx);
    const started = clock.now();
    const finish = (set: { state: 'pending' | 'delivered' | 'dead' } & Record<string, unknown>) => this.#finish(row, set);
    if (!row.url || !row.secret || row.enabled !== 1) {
      metrics.deliveries.inc({ result: 'dead' });
      await finish({ state: 'dead', last_error: 'the subscription is disabled or deleted', last_status_code: null });
      return;
    }
    const result = await deliverOne({
      url: row.url,
      secret: await keyring.decrypt(row.workspace_id, row.secret),
      event: { eventId: row.event_id, type: row.type, workspaceId: row.workspace_id, createdAt: row.event_created_at, payload: row.payload, orderingKey: row.ordering_key, sequence: row.sequence },
      nowSeconds: Math.floor(clock.now() / 1000),
      timeoutMs: config.eventsTimeoutMs,
      allowPrivate: config.eventsAllowPrivateTargets,
      dispatcher: this.#agent,
    });
    const elapsed = (clock.now() - started) / 1000;
    if (result.ok) {
      metrics.deliveries.inc({ result: 'delivered' });
      metrics.duration.observe({ result: 'delivered' }, elapsed);
      await finish({ state: 'delivered', delivered_at: clock.now(), last_status_code: result.statusCode, last_error: null });
      return;
    }
    const now = clock.now();
    const next = now + retryDelay(row.attempts, this.#random());
    // A refused target will not become acceptable by waiting: straight to the dead-letter list.
    const dead = result.refused || next > row.created_at + config.eventsMaxAgeHours * HOUR;
    metrics.deliveries.inc({ result: result.refused ? 'refused' : dead ? 'dead' : 'retry' });
    metrics.duration.observe({ result: 'failed' }, elapsed);
    await finish({ state: dead ? 'dead' : 'pending', next_attempt_at: dead ? now : next, last_status_code: result.statusCode, last_error: result.error.slice(0, 500) });
  }

  /**
   * Records an attempt's result. The request was made: a database that cannot be reached now is
   * retried for a while (else the delivery would come due again after its lease and be sent twice).
   */
  async #finish(row: Due, set: { state: 'pending' | 'delivered' | 'dead' } & Record<string, unknown>): Promise<void> {
    for (let failures = 0; ; ) {
      try {
        await this.#record(row, set);
        return;
      } catch (error) {
        failures++;
        if (failures >= 8 || !this.#running) throw error;
        await new Promise((resolve) => setTimeout(resolve, failureBackoff(failures)));
      }
    }
  }

  async #record(row: Due, set: { state: 'pending' | 'delivered' | 'dead' } & Record<string, unknown>): Promise<void> {
    const { db, clock, store } = this.#ctx;
    const update = (tx: Db) => tx.updateTable('event_deliveries').set({ ...set, updated_at: clock.now() }).where('id', '=', row.id).execute();
    // A retry keeps its place at the head of its resource's line; only a finished delivery lets the next one go.
    if (!row.ordering_key || set.state === 'pending') {
      await update(db);
      return;
    }
    const key = row.ordering_key;
    await db.transaction().execute(async (tx) => {
      // The counter's row lock orders this against publishEvent() adding an event of the same resource,
      // which decides "waiting" by looking for this very delivery (SQLite transactions are serial anyway).
      if (store.dialect === 'postgres') await sql`select 1 from event_sequences where ordering_key = ${key} for update`.execute(tx);
      await update(tx);
      const open = await tx
        .selectFrom('event_deliveries')
        .select(['id', 'state'])
        .where('ordering_key', '=', key)
        .where('subscription_id', '=', row.subscription_id)
        .where('state', 'in', ['pending', 'waiting'])
        .orderBy('sequence')
        .orderBy('id')
        .execute();
      // A replayed dead letter may be pending beside the line: never let two of one resource go at once.
      if (open.length && open.every((d) => d.state === 'waiting')) {
        const now = clock.now();
        await tx.updateTable('event_deliveries').set({ state: 'pending', next_attempt_at: now, updated_at: now }).where('id', '=', open[0].id).where('state', '=', 'waiting').execute();
      }
    });
  }

  async #purge(): Promise<void> {
    const now = this.#ctx.clock.now();
    if (now - this.#lastPurge < HOUR) return;
    this.#lastPurge = now;
    const { db } = this.#ctx;
    await db.deleteFrom('event_deliveries').where('state', '=', 'delivered').where('delivered_at', '<', now - RETENTION).execute();
    const orphans = db.selectFrom('event_outbox as e').select('e.id').where('e.created_at', '<', now - RETENTION).where(({ not, exists, selectFrom }) => not(exists(selectFrom('event_deliveries as d').select('d.id').whereRef('d.event_id', '=', 'e.id')))).limit(5000);
    await db.deleteFrom('event_outbox').where('id', 'in', orphans).execute();
    // Counters of resources idle for the retention period (a later event starts again from the clock).
    const idle = db.selectFrom('event_sequences as q').select('q.ordering_key').where('q.updated_at', '<', now - RETENTION).where(({ not, exists, selectFrom }) => not(exists(selectFrom('event_deliveries as d').select('d.id').whereRef('d.ordering_key', '=', 'q.ordering_key').where('d.state', 'in', ['pending', 'waiting'])))).limit(5000);
    await db.deleteFrom('event_sequences').where('ordering_key', 'in', idle).execute();
  }
}

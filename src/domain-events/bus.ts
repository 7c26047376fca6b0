import type { DomainEvent, DomainEventType } from './events.js';

/**
 * A subscriber that runs inside the publishing transaction, on its connection: what it writes commits
 * with the fact or not at all (the event webhooks' outbox, `events/`). It must not call out of the
 * process.
 */
export type InTransactionSubscriber<Tx> = (tx: Tx, event: DomainEvent, now: number) => Promise<void>;

/**
 * A handler that runs after the publishing transaction committed, at least once: the event waits in
 * a durable queue until its handlers ran, so a handler must be idempotent.
 */
export type AfterCommitHandler<C, T extends DomainEventType = DomainEventType> = ((ctx: C, event: Extract<DomainEvent, { type: T }>) => Promise<void>) & {
  /**
   * Which events of the type the handler acts on (`onlyWhen`); absent: all. An event no handler wants
   * is not written to the durable queue at all: a conversation's every message would otherwise cost an
   * insert and a delete for handlers that only act on its resolution.
   */
  readonly wants?: (event: Extract<DomainEvent, { type: T }>) => boolean;
};

/** A handler that acts only on the events `wants` accepts, and is not queued for the others. */
export function onlyWhen<C, T extends DomainEventType>(wants: (event: Extract<DomainEvent, { type: T }>) => boolean, handler: (ctx: C, event: Extract<DomainEvent, { type: T }>) => Promise<void>): AfterCommitHandler<C, T> {
  return Object.assign(async (ctx: C, event: Extract<DomainEvent, { type: T }>) => (wants(event) ? handler(ctx, event) : undefined), { wants });
}

/** After-commit handlers by event type. */
export type AfterCommitHandlers<C> = { [T in DomainEventType]?: Array<AfterCommitHandler<C, T>> };

/** The subscribers the composition root registers (`main/modules.ts`, from the modules' manifests). */
export interface DomainEventSubscribers<Tx, C> {
  readonly inTransaction: ReadonlyArray<InTransactionSubscriber<Tx>>;
  readonly afterCommit: AfterCommitHandlers<C>;
}

/** An event written to the after-commit queue, by its queue position. */
export interface QueuedDomainEvent {
  seq: number;
  event: DomainEvent;
}

/** Where events wait for their after-commit handlers (the `webhook_domain_events` table). */
export interface DomainEventQueue<Tx> {
  /** Writes events in the publishing transaction. */
  write(tx: Tx, events: DomainEvent[], now: number): Promise<QueuedDomainEvent[]>;
  /** Deletes events whose handlers ran. */
  forget(db: Tx, seqs: number[]): Promise<void>;
}

interface HandlerContext {
  readonly logger: { error(detail: object, message: string): void };
}

export interface DomainEventBus<Tx, C> {
  /**
   * Publishes events with the transaction that made them true: runs the in-transaction subscribers,
   * then queues the events that have after-commit handlers. Returns those, for the owner of the
   * transaction to hand to `handleQueued` once it committed. Events not handed over (a crash, or a
   * publisher inside a transaction it does not own) are handled by the webhook processor's sweep of
   * queued events older than its lease.
   */
  publish(tx: Tx, events: readonly DomainEvent[], now: number): Promise<QueuedDomainEvent[]>;
  /**
   * After the commit: runs the after-commit handlers of the queued events, then forgets them. The
   * events of one contact run in order, one after the other; those of different contacts run side by
   * side (up to `HANDLER_LANES` contacts at once), so a batch of customers' messages does not answer
   * the last customer only after everyone before. Events of no contact run in order in a lane of their own.
   */
  handleQueued(ctx: C, queued: readonly QueuedDomainEvent[]): Promise<void>;
  /** Runs the after-commit handlers of one event; returns their failures (each logged). */
  handle(ctx: C, event: DomainEvent): Promise<Error[]>;
}

/** How many contacts' events `handleQueued` runs at once. */
export const HANDLER_LANES = 8;

/** The events that must run in order share a lane: a contact's, or (no contact) all the others. */
function laneOf(event: DomainEvent): string {
  return 'contactId' in event && typeof event.contactId === 'string' && event.contactId ? `contact:${event.contactId}` : 'other';
}

export function createDomainEventBus<Tx, C extends HandlerContext & { readonly db: Tx }>(subscribers: DomainEventSubscribers<Tx, C>, queue: DomainEventQueue<Tx>): DomainEventBus<Tx, C> {
  const hasHandlers = (event: DomainEvent) => ((subscribers.afterCommit[event.type] ?? []) as ReadonlyArray<AfterCommitHandler<C>>).some((h) => !h.wants || h.wants(event));
  const handle = (ctx: C, event: DomainEvent) => emitDomainEvent(ctx, subscribers.afterCommit, event);
  return {
    async publish(tx, events, now) {
      for (const event of events) for (const subscriber of subscribers.inTransaction) await subscriber(tx, event, now);
      const wanted = events.filter(hasHandlers);
      return wanted.length ? queue.write(tx, wanted, now) : [];
    },
    async handleQueued(ctx, queued) {
      if (!queued.length) return;
      const lanes = new Map<string, DomainEvent[]>();
      for (const { event } of queued) {
        const key = laneOf(event);
        const lane = lanes.get(key);
        if (lane) lane.push(event);
        else lanes.set(key, [event]);
      }
      const waiting = [...lanes.values()];
      const runLanes = async () => {
        for (let lane = waiting.shift(); lane; lane = waiting.shift()) for (const event of lane) await handle(ctx, event);
      };
      await Promise.all(Array.from({ length: Math.min(HANDLER_LANES, waiting.length) }, runLanes));
      await queue.forget(ctx.db, queued.map((q) => q.seq));
    },
    handle,
  };
}

/** Runs every handler for the event; one handler's failure does not stop the others, and is reported. */
export async function emitDomainEvent<C extends HandlerContext>(ctx: C, handlers: AfterCommitHandlers<C>, event: DomainEvent): Promise<Error[]> {
  const list = (handlers[event.type] ?? []) as Array<AfterCommitHandler<C>>;
  const failures: Error[] = [];
  for (const handler of list) {
    try {
      await handler(ctx, event as never);
    } catch (error) {
      failures.push(error as Error);
      ctx.logger.error({ err: error, event: event.type }, 'domain event handler failed');
    }
  }
  return failures;
}

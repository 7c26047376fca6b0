import type { Db } from '../db/database.js';
import type { DialectName } from '../db/dialect.js';
import type { ParleyContext } from '../runtime/context.js';
import type { DomainEventQueue, QueuedDomainEvent } from '../domain-events/bus.js';
import type { DomainEvent } from '../domain-events/events.js';
import { restoredDomainEvent, storedDomainEvent } from '../domain-events/sealed-words.js';
import { lockedForClaim } from '../db/claim-lock.js';

/**
 * The queue of domain events waiting for their after-commit handlers, for the bus (`createContext`).
 * Events are written in the transaction that applied their facts, and deleted once handled: a crash
 * between the commit and the handlers leaves them here, and they are handled again (handlers run at
 * least once). The bus writes only events that have handlers. The customer's words of an inbound
 * message are stored sealed only (`storedDomainEvent`); handlers get them in clear.
 */
export const domainEventQueue: DomainEventQueue<Db> = {
  async write(db, events, now) {
    if (!events.length) return [];
    const rows = await db
      .insertInto('webhook_domain_events')
      .values(events.map((event) => ({ event: JSON.stringify(storedDomainEvent(event)), created_at: now })))
      .returning('seq')
      .execute();
    return rows.map((row, i) => ({ seq: row.seq, event: events[i] }));
  },
  async forget(db, seqs) {
    if (seqs.length) await db.deleteFrom('webhook_domain_events').where('seq', 'in', seqs).execute();
  },
};

/** Runs the after-commit handlers of each event, then forgets the events. */
export async function emitQueued(ctx: ParleyContext, queued: QueuedDomainEvent[]): Promise<void> {
  await ctx.domainEvents.handleQueued(ctx, queued);
}

/**
 * Emits events left behind by a crashed process (older than `olderThan`). Claiming moves their
 * time forward, so two workers do not take the same ones at once.
 */
export async function emitOrphanedDomainEvents(ctx: ParleyContext, dialect: DialectName, olderThan: number, limit = 200): Promise<number> {
  const old = ctx.db.selectFrom('webhook_domain_events').select('seq').where('created_at', '<', olderThan).orderBy('seq').limit(limit);
  const rows = await ctx.db.updateTable('webhook_domain_events').set({ created_at: ctx.clock.now() }).where('seq', 'in', lockedForClaim(old, dialect)).returning(['seq', 'event']).execute();
  const sorted = rows.sort((a, b) => a.seq - b.seq);
  await emitQueued(ctx, await Promise.all(sorted.map(async (r) => ({ seq: r.seq, event: await restoredDomainEvent(ctx.keyring, JSON.parse(r.event) as DomainEvent) }))));
  return rows.length;
}

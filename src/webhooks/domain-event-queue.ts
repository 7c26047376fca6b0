import type { Db } from '../db/database.js';
import type { DialectName } from '../db/dialect.js';
import type { ParleyContext } from '../runtime/context.js';
import { DOMAIN_EVENT_HANDLERS } from '../runtime/domain-event-handlers.js';
import { emitDomainEvent, restoredDomainEvent, storedDomainEvent, type DomainEvent } from '../runtime/domain-events.js';
import { lockedForClaim } from '../db/claim-lock.js';

export interface QueuedDomainEvent {
  seq: number;
  event: DomainEvent;
}

const hasHandlers = (event: DomainEvent) => (DOMAIN_EVENT_HANDLERS[event.type]?.length ?? 0) > 0;

/**
 * Domain events are written in the transaction that applied their facts, and deleted once emitted:
 * a crash between the commit and the handlers leaves them here, and they are emitted again
 * (handlers run at least once). Events nobody handles are not written at all. The customer's words
 * of an inbound message are stored sealed only (`storedDomainEvent`); handlers get them in clear.
 */
export async function queueDomainEvents(db: Db, events: DomainEvent[], now: number): Promise<QueuedDomainEvent[]> {
  const wanted = events.filter(hasHandlers);
  if (!wanted.length) return [];
  const rows = await db
    .insertInto('webhook_domain_events')
    .values(wanted.map((event) => ({ event: JSON.stringify(storedDomainEvent(event)), created_at: now })))
    .returning('seq')
    .execute();
  return rows.map((row, i) => ({ seq: row.seq, event: wanted[i] }));
}

/** Runs the handlers of each event, then forgets the events. */
export async function emitQueued(ctx: ParleyContext, queued: QueuedDomainEvent[]): Promise<void> {
  if (!queued.length) return;
  for (const { event } of queued) await emitDomainEvent(ctx, DOMAIN_EVENT_HANDLERS, event);
  await ctx.db.deleteFrom('webhook_domain_events').where('seq', 'in', queued.map((q) => q.seq)).execute();
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

import type { Db } from '../db/database.js';
import { newId } from '../shared/ids.js';
import { subscriptionWants, type EventType } from './event-types.js';
import { subscriptionCache } from './subscription-cache.js';

export interface PublishEventInput {
  workspaceId: string;
  type: EventType;
  /** The event's `data`: JSON-serialisable, documented per type in README.md. */
  data: Record<string, unknown>;
  /**
   * The resource whose events must reach each subscriber in order (`message:<id>`,
   * `conversation:<senderId>:<contactId>`; see `orderingKeys`). The event gets the resource's next
   * sequence number, and its delivery to a subscription waits while an earlier event of the same
   * resource to that subscription is not yet delivered or dead.
   */
  orderingKey?: string;
}

/** The ordering keys of the events Parley publishes (docs: README, "Event webhooks"). */
export const orderingKeys = {
  message: (messageId: string) => `message:${messageId}`,
  /** A customer's conversation with one sender number; a message without a contact is its own. */
  conversation: (senderId: string, contactId: string | null, messageId: string) => (contactId ? `conversation:${senderId}:${contactId}` : `message:${messageId}`),
};

/**
 * The next sequence number of a resource. A resource's first event starts from the current time in
 * milliseconds rather than 1, so that numbers keep increasing even after the counter of a resource
 * idle for the retention period was purged. Takes the counter's row lock on PostgreSQL until the
 * caller's transaction ends, which orders this event against a delivery of the same resource
 * finishing at the same time (`delivery-worker.ts`).
 */
async function nextSequence(db: Db, orderingKey: string, now: number): Promise<number> {
  const row = await db
    .insertInto('event_sequences')
    .values({ ordering_key: orderingKey, last_sequence: now, updated_at: now })
    .onConflict((oc) => oc.column('ordering_key').doUpdateSet((eb) => ({ last_sequence: eb(eb.ref('event_sequences.last_sequence'), '+', 1), updated_at: now })))
    .returning('last_sequence')
    .executeTakeFirstOrThrow();
  return Number(row.last_sequence);
}

/**
 * Puts an event in the outbox for every enabled subscription of the workspace that wants its type;
 * the delivery worker signs and posts it. Call it with the transaction that made the fact true, so
 * the event exists exactly when the fact does. Returns the event id, or null when nobody subscribes
 * (then nothing is stored).
 */
export async function publishEvent(db: Db, input: PublishEventInput, now = Date.now()): Promise<string | null> {
  const subscriptions = (await subscriptionCache.forWorkspace(db, input.workspaceId, now)).filter((s) => subscriptionWants(s.eventTypes, input.type));
  if (subscriptions.length === 0) return null;
  const eventId = newId('evt', now);
  const key = input.orderingKey ?? null;
  let sequence: number | null = null;
  // Subscriptions that still have an earlier event of this resource to receive: this one waits behind it.
  let behind = new Set<string>();
  if (key) {
    sequence = await nextSequence(db, key, now);
    const open = await db
      .selectFrom('event_deliveries')
      .select('subscription_id')
      .where('ordering_key', '=', key)
      .where('state', 'in', ['pending', 'waiting'])
      .where(
        'subscription_id',
        'in',
        subscriptions.map((s) => s.id),
      )
      .execute();
    behind = new Set(open.map((r) => r.subscription_id));
  }
  await db.insertInto('event_outbox').values({ id: eventId, workspace_id: input.workspaceId, type: input.type, payload: JSON.stringify(input.data), ordering_key: key, sequence, created_at: now }).execute();
  await db
    .insertInto('event_deliveries')
    .values(
      subscriptions.map((s) => ({
        id: newId('evd', now),
        event_id: eventId,
        subscription_id: s.id,
        workspace_id: input.workspaceId,
        state: behind.has(s.id) ? ('waiting' as const) : ('pending' as const),
        ordering_key: key,
        sequence,
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  return eventId;
}

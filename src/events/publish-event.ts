import type { Db } from '../db/database.js';
import { newId } from '../shared/ids.js';
import type { EventType } from './event-types.js';
import { subscriptionCache } from './subscription-cache.js';

export interface PublishEventInput {
  workspaceId: string;
  type: EventType;
  /** The event's `data`: JSON-serialisable, documented per type in README.md. */
  data: Record<string, unknown>;
}

/**
 * Puts an event in the outbox for every enabled subscription of the workspace that wants its type;
 * the delivery worker signs and posts it. Call it with the transaction that made the fact true, so
 * the event exists exactly when the fact does. Returns the event id, or null when nobody subscribes
 * (then nothing is stored).
 */
export async function publishEvent(db: Db, input: PublishEventInput, now = Date.now()): Promise<string | null> {
  const subscriptions = (await subscriptionCache.forWorkspace(db, input.workspaceId, now)).filter((s) => s.eventTypes.includes(input.type));
  if (subscriptions.length === 0) return null;
  const eventId = newId('evt', now);
  await db.insertInto('event_outbox').values({ id: eventId, workspace_id: input.workspaceId, type: input.type, payload: JSON.stringify(input.data), created_at: now }).execute();
  await db
    .insertInto('event_deliveries')
    .values(
      subscriptions.map((s) => ({
        id: newId('evd', now),
        event_id: eventId,
        subscription_id: s.id,
        workspace_id: input.workspaceId,
        state: 'pending' as const,
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  return eventId;
}

import type { Db } from '../db/database.js';
import { SECOND } from '../shared/time.js';

export interface ActiveSubscription {
  id: string;
  eventTypes: string[];
}

/**
 * Active subscriptions per workspace, cached for a second: every status and inbound message
 * publishes an event, and most workspaces have few subscriptions or none. Changes made through
 * this process invalidate at once; other processes see them within the TTL.
 */
export class SubscriptionCache {
  static readonly TTL = 1 * SECOND;
  readonly #entries = new Map<string, { at: number; subscriptions: ActiveSubscription[] }>();

  async forWorkspace(db: Db, workspaceId: string, now: number): Promise<ActiveSubscription[]> {
    const hit = this.#entries.get(workspaceId);
    if (hit && now - hit.at < SubscriptionCache.TTL && now >= hit.at) return hit.subscriptions;
    const rows = await db.selectFrom('event_subscriptions').select(['id', 'event_types']).where('workspace_id', '=', workspaceId).where('enabled', '=', 1).execute();
    const subscriptions = rows.map((r) => ({ id: r.id, eventTypes: JSON.parse(r.event_types) as string[] }));
    this.#entries.set(workspaceId, { at: now, subscriptions });
    return subscriptions;
  }

  invalidate(workspaceId: string): void {
    this.#entries.delete(workspaceId);
  }
}

/** The process-wide cache `publishEvent` uses (keyed by workspace id, which is unique across databases). */
export const subscriptionCache = new SubscriptionCache();

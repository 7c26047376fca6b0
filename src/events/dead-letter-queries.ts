import type { Db } from '../db/database.js';

export interface DeadLetter {
  id: string;
  eventId: string;
  eventType: string;
  subscriptionId: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

/** Dead deliveries of a workspace, newest first, with a keyset cursor (the last id of the previous page). */
export async function listDeadLetters(db: Db, workspaceId: string, options: { subscriptionId?: string; limit: number; cursor?: string }): Promise<{ data: DeadLetter[]; nextCursor: string | null }> {
  let query = db
    .selectFrom('event_deliveries as d')
    .innerJoin('event_outbox as e', 'e.id', 'd.event_id')
    .select(['d.id', 'd.event_id', 'e.type', 'd.subscription_id', 'd.attempts', 'd.last_status_code', 'd.last_error', 'd.created_at', 'd.updated_at'])
    .where('d.workspace_id', '=', workspaceId)
    .where('d.state', '=', 'dead')
    .orderBy('d.id', 'desc')
    .limit(options.limit + 1);
  if (options.subscriptionId) query = query.where('d.subscription_id', '=', options.subscriptionId);
  if (options.cursor) query = query.where('d.id', '<', options.cursor);
  const rows = await query.execute();
  const page = rows.slice(0, options.limit);
  return {
    data: page.map((r) => ({ id: r.id, eventId: r.event_id, eventType: r.type, subscriptionId: r.subscription_id, attempts: r.attempts, lastStatusCode: r.last_status_code, lastError: r.last_error, createdAt: r.created_at, updatedAt: r.updated_at })),
    nextCursor: rows.length > options.limit ? page[page.length - 1].id : null,
  };
}

/**
 * Sends dead deliveries again: due now, attempts and age restarted (the maximum age counts from the
 * replay). One delivery by id, or all of the workspace's (optionally of one subscription).
 */
export async function replayDeadLetters(db: Db, workspaceId: string, target: { id?: string; subscriptionId?: string }, now: number): Promise<number> {
  let query = db
    .updateTable('event_deliveries')
    .set({ state: 'pending', attempts: 0, next_attempt_at: now, created_at: now, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('state', '=', 'dead');
  if (target.id) query = query.where('id', '=', target.id);
  if (target.subscriptionId) query = query.where('subscription_id', '=', target.subscriptionId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

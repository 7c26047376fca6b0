import type { Db } from '../db/database.js';
import type { ParleyContext } from '../runtime/context.js';
import type { SenderHealthTable } from './tables.js';

export type SenderHealthState = SenderHealthTable['state'];

export interface SenderHealth {
  state: SenderHealthState;
  /** Why, in a sentence (the last provider error for degraded and unreachable); null when ok. */
  reason: string | null;
  /** When the sender entered this state (epoch ms). */
  since: number;
}

export interface HealthChange {
  senderId: string;
  workspaceId: string;
  state: SenderHealthState;
  reason: string | null;
  at: number;
  workerId: string;
  /** More facts for the `sender.health` event's data (e.g. the UltraMsg instance's `status` and `substatus`). */
  detail?: Record<string, unknown>;
}

/**
 * Records a sender's health if it changed, and publishes the `sender.health` domain event in the same
 * transaction. Returns whether anything changed. Called by the dispatcher on its breaker's transitions only.
 */
export async function recordSenderHealth(ctx: ParleyContext, change: HealthChange): Promise<boolean> {
  const { changed, queued } = await ctx.db.transaction().execute(async (tx) => {
    const none = { changed: false, queued: [] };
    const current = await tx.selectFrom('sender_health').select(['state']).where('sender_id', '=', change.senderId).executeTakeFirst();
    if ((current?.state ?? 'ok') === change.state && current) return none;
    const row = { workspace_id: change.workspaceId, state: change.state, reason: change.reason, since: change.at, updated_by: change.workerId };
    await tx
      .insertInto('sender_health')
      .values({ sender_id: change.senderId, ...row })
      .onConflict((oc) => oc.column('sender_id').doUpdateSet(row))
      .execute();
    // A sender seen for the first time in good health is no news.
    if (!current && change.state === 'ok') return { ...none, changed: true };
    const event = { type: 'sender.health' as const, workspaceId: change.workspaceId, senderId: change.senderId, state: change.state, previous: current?.state ?? 'ok', reason: change.reason, detail: change.detail ?? {}, at: change.at };
    return { changed: true, queued: await ctx.domainEvents.publish(tx, [event], change.at) };
  });
  await ctx.domainEvents.handleQueued(ctx, queued);
  return changed;
}

/** The health of senders (all, or those of one workspace): a disabled sender is `paused` whatever was recorded. */
export async function listSenderHealth(db: Db, workspaceId?: string): Promise<Map<string, SenderHealth>> {
  let query = db
    .selectFrom('senders')
    .leftJoin('sender_health', 'sender_health.sender_id', 'senders.id')
    .select(['senders.id', 'senders.status', 'senders.updated_at', 'sender_health.state', 'sender_health.reason', 'sender_health.since']);
  if (workspaceId) query = query.where('senders.workspace_id', '=', workspaceId);
  const rows = await query.execute();
  const health = new Map<string, SenderHealth>();
  for (const r of rows) {
    if (r.status === 'disabled') health.set(r.id, { state: 'paused', reason: 'The sender is disabled.', since: r.state === 'paused' && r.since !== null ? Number(r.since) : Number(r.updated_at) });
    else health.set(r.id, { state: r.state ?? 'ok', reason: r.reason ?? null, since: Number(r.since ?? r.updated_at) });
  }
  return health;
}

import type { Db } from '../db/database.js';
import { STATUS_RANK, type MessageStatus } from './status.js';

export interface StatusChange {
  messageId: string;
  status: MessageStatus;
  at: number;
  errorCode?: string | null;
  errorMessage?: string | null;
}

/** The columns a status change writes (its error only when it carries one). */
const statusColumns = (change: StatusChange, now: number) => ({
  status: change.status,
  status_rank: STATUS_RANK[change.status],
  status_at: change.at,
  updated_at: now,
  ...(change.errorCode !== undefined ? { error_code: change.errorCode, error_message: change.errorMessage ?? null } : {}),
});

/**
 * Moves a message to `status` only if that is progress (higher rank). With `claimDue` and the moves in
 * `transitions.ts`, the only writers of a message's status: nothing outside `messages/` sets it.
 * The condition is in the UPDATE itself, so concurrent writers cannot move a status backwards.
 * Returns true when the status changed. Callers record the event whether or not it applied.
 */
export async function applyStatus(db: Db, change: StatusChange, now = Date.now()): Promise<boolean> {
  const rank = STATUS_RANK[change.status];
  const result = await db
    .updateTable('messages')
    .set(statusColumns(change, now))
    .where('id', '=', change.messageId)
    .where('status_rank', '<', rank)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * `applyStatus` for many messages at once (webhook batches): the same rule, in one UPDATE per group
 * of identical changes (same status, time and error), each guarded by the rank in its WHERE.
 * Returns the ids of the messages whose status changed.
 */
export async function applyStatuses(db: Db, changes: readonly StatusChange[], now = Date.now()): Promise<Set<string>> {
  const groups = new Map<string, { change: StatusChange; ids: string[] }>();
  for (const change of changes) {
    const key = JSON.stringify([change.status, change.at, change.errorCode, change.errorMessage]);
    const group = groups.get(key) ?? { change, ids: [] };
    group.ids.push(change.messageId);
    groups.set(key, group);
  }
  const applied = new Set<string>();
  for (const { change, ids } of groups.values()) {
    const rank = STATUS_RANK[change.status];
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db
        .updateTable('messages')
        .set(statusColumns(change, now))
        .where('id', 'in', ids.slice(i, i + 500))
        .where('status_rank', '<', rank)
        .returning('id')
        .execute();
      for (const row of rows) applied.add(row.id);
    }
  }
  return applied;
}

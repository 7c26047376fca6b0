import type { Db } from '../db/database.js';
import { STATUS_RANK, type MessageStatus } from './status.js';

export interface StatusChange {
  messageId: string;
  status: MessageStatus;
  at: number;
  errorCode?: string | null;
  errorMessage?: string | null;
}

/**
 * Moves a message to `status` only if that is progress (higher rank); the one place statuses change.
 * The condition is in the UPDATE itself, so concurrent writers cannot move a status backwards.
 * Returns true when the status changed. Callers record the event whether or not it applied.
 */
export async function applyStatus(db: Db, change: StatusChange, now = Date.now()): Promise<boolean> {
  const rank = STATUS_RANK[change.status];
  const result = await db
    .updateTable('messages')
    .set({
      status: change.status,
      status_rank: rank,
      status_at: change.at,
      updated_at: now,
      ...(change.errorCode !== undefined ? { error_code: change.errorCode, error_message: change.errorMessage ?? null } : {}),
    })
    .where('id', '=', change.messageId)
    .where('status_rank', '<', rank)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

import type { Db } from '../db/database.js';
import type { MessageStatus } from './status.js';

/** A send still without a delivery receipt, with the looks taken at it so far (`receipt_checks`). */
export interface AwaitingReceiptRow {
  id: string;
  workspace_id: string;
  status: MessageStatus;
  provider_alt_id_hash: string | null;
  checks: number | null;
}

/**
 * A sender's sends still without a delivery receipt whose next look is due: handed to the provider
 * (`accepted`) or on its servers (`sent`), with a status time in (`horizonStart`, `changedBefore`],
 * never looked at or due (`next_check_at` passed, fewer than `maxChecks` looks), oldest first.
 * Reads the partial index `messages_awaiting_status` (sender, status time).
 */
export async function sendsAwaitingReceipt(
  db: Db,
  senderId: string,
  window: { changedBefore: number; horizonStart: number; maxChecks: number },
  now: number,
  limit: number,
): Promise<AwaitingReceiptRow[]> {
  return db
    .selectFrom('messages as m')
    .leftJoin('receipt_checks as rc', 'rc.message_id', 'm.id')
    .select(['m.id', 'm.workspace_id', 'm.status', 'm.provider_alt_id_hash', 'rc.checks', 'rc.next_check_at'])
    .where('m.sender_id', '=', senderId)
    // The index's own condition, so the planner uses it; `sending` is the crash reconciler's.
    .where('m.status', 'in', ['sending', 'accepted', 'sent'])
    .where('m.status', '!=', 'sending')
    .where('m.status_at', '<=', window.changedBefore)
    .where('m.status_at', '>', window.horizonStart)
    .where((eb) => eb.or([eb('rc.message_id', 'is', null), eb.and([eb('rc.next_check_at', '<=', now), eb('rc.checks', '<', window.maxChecks)])]))
    .orderBy('m.status_at')
    .limit(limit)
    .execute();
}

/** Records the looks taken at a send and when the next is due (inside the caller's transaction). */
export async function upsertReceiptCheck(db: Db, messageId: string, checks: number, nextCheckAt: number, now: number): Promise<void> {
  await db
    .insertInto('receipt_checks')
    .values({ message_id: messageId, checks, next_check_at: nextCheckAt, created_at: now })
    .onConflict((oc) => oc.column('message_id').doUpdateSet({ checks, next_check_at: nextCheckAt }))
    .execute();
}

/** Forgets the looks recorded before `before`; returns how many sends' looks were forgotten. */
export async function deleteReceiptChecksBefore(db: Db, before: number): Promise<number> {
  const result = await db.deleteFrom('receipt_checks').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

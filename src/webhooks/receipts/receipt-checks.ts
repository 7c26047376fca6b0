import type { Db } from '../../db/database.js';
import type { MessageStatus } from '../../messages/status.js';
import { CHECK_BATCH, checkHorizonMs, nextCheckAt, type ReceiptCheckPolicy } from './receipt-check-policy.js';

export interface ReceiptCandidate {
  id: string;
  workspaceId: string;
  status: MessageStatus;
  hasAltId: boolean;
  checks: number;
}

/**
 * A sender's sends still without a delivery receipt whose next look is due: handed to the provider
 * (`accepted`) or on its servers (`sent`), unchanged for `afterMs`, within the horizon, oldest first.
 * Reads the partial index `messages_awaiting_status` (sender, status time).
 */
export async function dueReceiptChecks(db: Db, senderId: string, policy: ReceiptCheckPolicy, now: number, limit = CHECK_BATCH): Promise<ReceiptCandidate[]> {
  if (policy.maxChecks <= 0) return [];
  const rows = await db
    .selectFrom('messages as m')
    .leftJoin('receipt_checks as rc', 'rc.message_id', 'm.id')
    .select(['m.id', 'm.workspace_id', 'm.status', 'm.provider_alt_id_hash', 'rc.checks', 'rc.next_check_at'])
    .where('m.sender_id', '=', senderId)
    // The index's own condition, so the planner uses it; `sending` is the crash reconciler's.
    .where('m.status', 'in', ['sending', 'accepted', 'sent'])
    .where('m.status', '!=', 'sending')
    .where('m.status_at', '<=', now - policy.afterMs)
    .where('m.status_at', '>', now - checkHorizonMs(policy))
    .where((eb) => eb.or([eb('rc.message_id', 'is', null), eb.and([eb('rc.next_check_at', '<=', now), eb('rc.checks', '<', policy.maxChecks)])]))
    .orderBy('m.status_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, workspaceId: r.workspace_id, status: r.status, hasAltId: r.provider_alt_id_hash !== null, checks: r.checks ?? 0 }));
}

/** Records one more look at a send and when the next is due (inside the caller's transaction). */
export async function recordReceiptCheck(db: Db, messageId: string, checksDone: number, policy: ReceiptCheckPolicy, now: number): Promise<void> {
  const next = nextCheckAt(policy, now, checksDone);
  await db
    .insertInto('receipt_checks')
    .values({ message_id: messageId, checks: checksDone, next_check_at: next, created_at: now })
    .onConflict((oc) => oc.column('message_id').doUpdateSet({ checks: checksDone, next_check_at: next }))
    .execute();
}

/** Forgets looks at sends past the horizon (they are not looked at any more). */
export async function pruneReceiptChecks(db: Db, policy: ReceiptCheckPolicy, now: number): Promise<number> {
  const result = await db.deleteFrom('receipt_checks').where('created_at', '<', now - 2 * checkHorizonMs(policy)).executeTakeFirst();
  return Number(result.numDeletedRows);
}

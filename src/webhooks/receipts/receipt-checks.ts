import type { Db } from '../../db/database.js';
import type { MessageStatus } from '../../messages/status.js';
import { deleteReceiptChecksBefore, sendsAwaitingReceipt, upsertReceiptCheck } from '../../messages/receipt-check-queries.js';
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
 */
export async function dueReceiptChecks(db: Db, senderId: string, policy: ReceiptCheckPolicy, now: number, limit = CHECK_BATCH): Promise<ReceiptCandidate[]> {
  if (policy.maxChecks <= 0) return [];
  const rows = await sendsAwaitingReceipt(db, senderId, { changedBefore: now - policy.afterMs, horizonStart: now - checkHorizonMs(policy), maxChecks: policy.maxChecks }, now, limit);
  return rows.map((r) => ({ id: r.id, workspaceId: r.workspace_id, status: r.status, hasAltId: r.provider_alt_id_hash !== null, checks: r.checks ?? 0 }));
}

/** Records one more look at a send and when the next is due (inside the caller's transaction). */
export async function recordReceiptCheck(db: Db, messageId: string, checksDone: number, policy: ReceiptCheckPolicy, now: number): Promise<void> {
  await upsertReceiptCheck(db, messageId, checksDone, nextCheckAt(policy, now, checksDone), now);
}

/** Forgets looks at sends past the horizon (they are not looked at any more). */
export async function pruneReceiptChecks(db: Db, policy: ReceiptCheckPolicy, now: number): Promise<number> {
  return deleteReceiptChecksBefore(db, now - 2 * checkHorizonMs(policy));
}

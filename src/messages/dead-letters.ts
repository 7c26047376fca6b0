import type { Db } from '../db/database.js';

/**
 * Dead letters: messages that ended without being delivered (failed, refused or expired for good), each
 * with the reason, listed through the API. Whoever ends a message unsent records it here, in the
 * transaction that ends it; a message is listed once (a second record of it is ignored).
 */
export interface DeadLetter {
  messageId: string;
  workspaceId: string;
  reason: string;
  errorCode: string | null;
  attempts: number;
  at: number;
}

/** Lists messages as dead letters, in one insert; one already listed is left as it is. */
export async function addDeadLetters(db: Db, letters: readonly DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  await db
    .insertInto('dead_letters')
    .values(letters.map((l) => ({ message_id: l.messageId, workspace_id: l.workspaceId, reason: l.reason, error_code: l.errorCode, attempts: l.attempts, created_at: l.at })))
    .onConflict((oc) => oc.column('message_id').doNothing())
    .execute();
}

/** A workspace's dead letters, newest first. */
export async function listDeadLetters(db: Db, workspaceId: string, limit: number): Promise<DeadLetter[]> {
  const rows = await db.selectFrom('dead_letters').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at', 'desc').limit(limit).execute();
  return rows.map((r) => ({ messageId: r.message_id, workspaceId: r.workspace_id, reason: r.reason, errorCode: r.error_code, attempts: r.attempts, at: r.created_at }));
}

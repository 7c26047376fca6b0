import type { Db } from '../../db/database.js';
import { ParleyError } from '../../errors/parley-error.js';
import { newId } from '../../shared/ids.js';
import { hashSecretToken, looksLikeSecretToken, newSecretToken } from '../secret-token.js';

/** Creates an invitation for an invited user; returns the token, which only the link carries. */
export async function createInvitation(db: Db, input: { workspaceId: string; userId: string; createdBy: string; ttlMs: number }, now = Date.now()): Promise<{ token: string; expiresAt: number }> {
  const { token, hash } = newSecretToken();
  const expiresAt = now + input.ttlMs;
  await db
    .insertInto('invitations')
    .values({ id: newId('inv', now), workspace_id: input.workspaceId, user_id: input.userId, token_hash: hash, created_by: input.createdBy, created_at: now, expires_at: expiresAt, used_at: null })
    .execute();
  return { token, expiresAt };
}

/** Whose invitation a token is, if it is still usable (410 INVITATION_INVALID otherwise); uses nothing. */
export async function pendingInvitation(db: Db, token: string, now = Date.now()): Promise<{ id: string; workspaceId: string; userId: string }> {
  if (!looksLikeSecretToken(token)) throw new ParleyError('INVITATION_INVALID');
  const row = await db.selectFrom('invitations').select(['id', 'workspace_id', 'user_id', 'expires_at', 'used_at']).where('token_hash', '=', hashSecretToken(token)).executeTakeFirst();
  if (!row || row.used_at !== null || Number(row.expires_at) <= now) throw new ParleyError('INVITATION_INVALID');
  return { id: row.id, workspaceId: row.workspace_id, userId: row.user_id };
}

/**
 * Uses an invitation once: marks it used and hands back whose it is. Unknown, expired and used links
 * get the same 410 INVITATION_INVALID. The conditional UPDATE makes a second use lose even at the same instant.
 */
export async function useInvitation(db: Db, token: string, now = Date.now()): Promise<{ workspaceId: string; userId: string }> {
  const row = await pendingInvitation(db, token, now);
  const used = await db.updateTable('invitations').set({ used_at: now }).where('id', '=', row.id).where('used_at', 'is', null).executeTakeFirst();
  if (!used.numUpdatedRows) throw new ParleyError('INVITATION_INVALID');
  return { workspaceId: row.workspaceId, userId: row.userId };
}

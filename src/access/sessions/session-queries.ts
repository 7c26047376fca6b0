import type { Db } from '../../db/database.js';
import { newId } from '../../shared/ids.js';
import { hashSecretToken, looksLikeSecretToken, newSecretToken } from '../secret-token.js';

export interface SessionRecord {
  id: string;
  workspaceId: string;
  userId: string;
  lastSeenAt: number;
  expiresAt: number;
}

/** Starts a session; the token goes into the cookie and nowhere else. */
export async function createSession(db: Db, input: { workspaceId: string; userId: string; maxAgeMs: number }, now = Date.now()): Promise<{ token: string; session: SessionRecord }> {
  const { token, hash } = newSecretToken();
  const id = newId('ses', now);
  const expiresAt = now + input.maxAgeMs;
  await db.insertInto('sessions').values({ id, workspace_id: input.workspaceId, user_id: input.userId, token_hash: hash, created_at: now, last_seen_at: now, expires_at: expiresAt, revoked_at: null }).execute();
  return { token, session: { id, workspaceId: input.workspaceId, userId: input.userId, lastSeenAt: now, expiresAt } };
}

/** The live session of a cookie's token: not revoked, not past its absolute expiry, not idle longer than `idleMs`. */
export async function findLiveSession(db: Db, token: string, idleMs: number, now = Date.now()): Promise<SessionRecord | undefined> {
  if (!looksLikeSecretToken(token)) return undefined;
  const row = await db
    .selectFrom('sessions')
    .select(['id', 'workspace_id', 'user_id', 'last_seen_at', 'expires_at', 'revoked_at'])
    .where('token_hash', '=', hashSecretToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null) return undefined;
  const lastSeenAt = Number(row.last_seen_at);
  const expiresAt = Number(row.expires_at);
  if (expiresAt <= now || lastSeenAt + idleMs <= now) return undefined;
  return { id: row.id, workspaceId: row.workspace_id, userId: row.user_id, lastSeenAt, expiresAt };
}

/** Records activity, which pushes the idle expiry on. */
export async function touchSession(db: Db, id: string, now = Date.now()): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

export async function revokeSession(db: Db, id: string, now = Date.now()): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

/** Revokes every session of a user (sign out everywhere; a password change; a disabled account). Returns how many. */
export async function revokeUserSessions(db: Db, workspaceId: string, userId: string, now = Date.now()): Promise<number> {
  const result = await db.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', userId).where('workspace_id', '=', workspaceId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

import { createHash, randomBytes } from 'node:crypto';

/**
 * Bearer secrets of the console (session cookies, invitation links): 32 random bytes in base64url,
 * stored only as their SHA-256, so a copy of the database lets no one sign in or accept an invitation.
 */
export function newSecretToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashSecretToken(token) };
}

export const hashSecretToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** 43 base64url characters: anything else is refused before any lookup. */
export const looksLikeSecretToken = (value: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(value);

import { createHash, randomBytes } from 'node:crypto';

/**
 * An API key is `prl_<prefix>_<secret>`: an 8-character prefix shown in lists (not secret) and
 * 32 random bytes (256 bits) in base64url. Only the SHA-256 of the whole key is stored: the secret
 * has full entropy, so a slow password hash adds nothing.
 */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(6).toString('base64url').slice(0, 8);
  const secret = randomBytes(32).toString('base64url');
  const key = `prl_${prefix}_${secret}`;
  return { key, prefix: `prl_${prefix}`, hash: hashApiKey(key) };
}

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export const looksLikeApiKey = (value: string): boolean => /^prl_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/.test(value);

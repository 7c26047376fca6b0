import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt (node:crypto), a memory-hard KDF (docs/decisions/0016-console-sign-in.md).
 * A hash is stored as `scrypt$<log2 N>$<r>$<p>$<salt, base64>$<key, base64>`, so that the parameters
 * can be raised later: an old hash still verifies with its own, and `needsRehash` says when to redo it.
 */
export const SCRYPT_PARAMETERS = { log2N: 15, r: 8, p: 1, keyLength: 64, saltLength: 16 } as const;

/** scrypt needs 128 · N · r bytes (32 MiB here); the default ceiling is exactly that, so allow twice as much. */
const maxmemFor = (N: number, r: number) => 256 * N * r;

function derive(password: string, salt: Buffer, log2N: number, r: number, p: number, keyLength: number): Promise<Buffer> {
  const N = 2 ** log2N;
  const options: ScryptOptions = { N, r, p, maxmem: maxmemFor(N, r) };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const { log2N, r, p, keyLength, saltLength } = SCRYPT_PARAMETERS;
  const salt = randomBytes(saltLength);
  const key = await derive(password, salt, log2N, r, p, keyLength);
  return ['scrypt', log2N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

const STORED = /^scrypt\$(\d{1,2})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/** Whether `password` matches the stored hash; false for a hash of an unknown form. Compared in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = STORED.exec(stored);
  if (!m) return false;
  const expected = Buffer.from(m[5], 'base64');
  const key = await derive(password, Buffer.from(m[4], 'base64'), Number(m[1]), Number(m[2]), Number(m[3]), expected.length);
  return timingSafeEqual(key, expected);
}

/** A hash made with weaker parameters than today's, to be replaced at the next successful sign-in. */
export function needsRehash(stored: string): boolean {
  const m = STORED.exec(stored);
  if (!m) return true;
  const { log2N, r, p } = SCRYPT_PARAMETERS;
  return Number(m[1]) < log2N || Number(m[2]) < r || Number(m[3]) < p;
}

/**
 * A hash of a random password, verified against when the account does not exist, so that an unknown
 * address costs the same time as a wrong password and the answers cannot be told apart.
 */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword(randomBytes(16).toString('hex')));

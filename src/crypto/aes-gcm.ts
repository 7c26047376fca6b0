import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

// IVs come from a pool of random bytes refilled in one call: a system call per 12-byte IV was the
// largest single cost of bulk encryption (a CSV import encrypts several values per row). Each IV is
// still fresh randomness, used once.
const POOL_BYTES = IV_BYTES * 1024;
let pool = Buffer.alloc(0);
let offset = POOL_BYTES;

function nextIv(): Buffer {
  if (offset + IV_BYTES > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const iv = Buffer.from(pool.subarray(offset, offset + IV_BYTES));
  offset += IV_BYTES;
  return iv;
}

/** AES-256-GCM: returns iv ‖ tag ‖ ciphertext. `aad` binds the ciphertext to its context. */
export function seal(key: Buffer, plaintext: Buffer, aad?: Buffer): Buffer {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (aad) cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Inverse of seal(); throws when the key, the AAD or the bytes are wrong. */
export function open(key: Buffer, sealed: Buffer, aad?: Buffer): Buffer {
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}

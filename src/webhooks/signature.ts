import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

// Meta signs every Cloud API delivery: `X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA256 of the exact
// raw body keyed by the app secret. Checked over the bytes as received, never over re-serialised JSON.

const HEADER = /^sha256=([0-9a-fA-F]{64})$/;

/** The header value Meta would send for `body` signed with `secret` (the emulator and tests sign this way). */
export function hubSignature(secret: string | Buffer, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** True when `header` is a well-formed signature of `body` under any of `secrets` (compared in constant time). */
export function verifyHubSignature(body: Buffer, header: string | undefined, secrets: readonly Buffer[]): boolean {
  if (!header || secrets.length === 0) return false;
  const match = HEADER.exec(header.trim());
  if (!match) return false;
  const claimed = Buffer.from(match[1], 'hex');
  let valid = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(body).digest();
    // Every secret is tried, so the time taken does not reveal which one matched.
    if (timingSafeEqual(expected, claimed)) valid = true;
  }
  return valid;
}

/** Constant-time equality of two strings of any length (both are hashed to equal-length digests first). */
export function constantTimeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}

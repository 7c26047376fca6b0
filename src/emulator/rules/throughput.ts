/**
 * Throughput per business number (Meta: 80 messages per second by default, up to 1,000; error 130429).
 * A token bucket holding one second of messages, refilled continuously. Pure: returns the new bucket.
 */
export interface TokenBucket {
  tokens: number;
  at: number;
}

export function takeThroughputToken(bucket: TokenBucket | undefined, mps: number, now: number): { allowed: boolean; bucket: TokenBucket } {
  const previous = bucket ?? { tokens: mps, at: now };
  const elapsed = Math.max(0, now - previous.at);
  const tokens = Math.min(mps, previous.tokens + (elapsed * mps) / 1000);
  if (tokens < 1) return { allowed: false, bucket: { tokens, at: now } };
  return { allowed: true, bucket: { tokens: tokens - 1, at: now } };
}

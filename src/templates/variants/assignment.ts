import { createHash } from 'node:crypto';

/** Assignment resolution: a contact's bucket is in [0, BUCKETS), so exposure moves in steps of 0.01%. */
export const BUCKETS = 10_000;

/**
 * A contact's fixed bucket for an intent: the first 32 bits of SHA-256(intent, contact id), scaled to
 * [0, BUCKETS). The same contact always lands in the same bucket of the same intent, in every process,
 * and buckets of different intents are independent.
 */
export function bucketOf(intent: string, contactId: string): number {
  const digest = createHash('sha256').update(`${intent}\u0000${contactId}`).digest();
  return Math.floor((digest.readUInt32BE(0) / 0x1_0000_0000) * BUCKETS);
}

export interface VariantSlot {
  id: string;
  weight: number;
  isControl: boolean;
  active: boolean;
}

/** A variant whose share is fixed by a rollout (its current stage, or the last one when completed). */
export interface PinnedShare {
  variantId: string;
  percent: number;
}

export interface Range {
  variantId: string;
  /** Inclusive start bucket. */
  from: number;
  /** Exclusive end bucket. */
  to: number;
}

/**
 * Splits the buckets among variants. Rollout variants come first, from bucket 0, so a canary growing
 * from 1% to 10% keeps every contact it already had; the remaining buckets go to the other active
 * variants in proportion to their weights (equally when all weights are 0). Halted variants get nothing.
 */
export function allocate(variants: readonly VariantSlot[], pinned: readonly PinnedShare[] = []): Range[] {
  const ranges: Range[] = [];
  let cursor = 0;
  const pinnedIds = new Set<string>();
  for (const share of pinned) {
    const variant = variants.find((v) => v.id === share.variantId);
    if (!variant?.active || pinnedIds.has(share.variantId)) continue;
    pinnedIds.add(share.variantId);
    const size = Math.min(BUCKETS - cursor, Math.round((Math.max(0, Math.min(100, share.percent)) / 100) * BUCKETS));
    if (size > 0) ranges.push({ variantId: variant.id, from: cursor, to: cursor + size });
    cursor += size;
  }
  const rest = variants.filter((v) => v.active && !pinnedIds.has(v.id));
  const remaining = BUCKETS - cursor;
  if (rest.length === 0 || remaining === 0) return ranges;
  const total = rest.reduce((sum, v) => sum + Math.max(0, v.weight), 0);
  const weights = rest.map((v) => (total > 0 ? Math.max(0, v.weight) : 1));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  rest.forEach((v, i) => {
    const from = cursor + Math.round((acc / weightSum) * remaining);
    acc += weights[i];
    const to = cursor + Math.round((acc / weightSum) * remaining);
    if (to > from) ranges.push({ variantId: v.id, from, to });
  });
  return ranges;
}

/** The variant whose range holds the bucket, or null when no variant is active. */
export function variantForBucket(ranges: readonly Range[], bucket: number): string | null {
  return ranges.find((r) => bucket >= r.from && bucket < r.to)?.variantId ?? null;
}

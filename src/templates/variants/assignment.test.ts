import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allocate, bucketOf, variantForBucket, BUCKETS, type VariantSlot } from './assignment.js';

const slots: VariantSlot[] = [
  { id: 'control', weight: 50, isControl: true, active: true },
  { id: 'b', weight: 30, isControl: false, active: true },
  { id: 'c', weight: 20, isControl: false, active: true },
];

describe('variant assignment', () => {
  it('matches the weights within 1% over 100,000 contacts', () => {
    const ranges = allocate(slots);
    const counts = new Map<string, number>();
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const variant = variantForBucket(ranges, bucketOf('order_shipped', `ct_${i.toString(36)}_${(i * 7919) % 104729}`))!;
      counts.set(variant, (counts.get(variant) ?? 0) + 1);
    }
    for (const slot of slots) {
      const share = (counts.get(slot.id) ?? 0) / n;
      assert.ok(Math.abs(share - slot.weight / 100) < 0.01, `${slot.id}: ${share} vs ${slot.weight / 100}`);
    }
  });

  it('is deterministic: the same contact always gets the same variant, and intents are independent', () => {
    const ranges = allocate(slots);
    for (let i = 0; i < 1000; i++) {
      const contact = `ct_${i}`;
      assert.equal(variantForBucket(ranges, bucketOf('order_shipped', contact)), variantForBucket(allocate(slots), bucketOf('order_shipped', contact)));
    }
    const sameBucket = Array.from({ length: 1000 }, (_, i) => bucketOf('a', `ct_${i}`) === bucketOf('b', `ct_${i}`)).filter(Boolean).length;
    assert.ok(sameBucket < 10, 'buckets of two intents are not correlated');
  });

  it('covers every bucket exactly once', () => {
    const ranges = allocate(slots, [{ variantId: 'c', percent: 10 }]);
    let expected = 0;
    for (const r of ranges) {
      assert.equal(r.from, expected);
      expected = r.to;
    }
    assert.equal(expected, BUCKETS);
  });

  it('gives a rollout variant its stage percent from bucket 0, so growing exposure keeps earlier contacts in it', () => {
    const at1 = allocate(slots, [{ variantId: 'c', percent: 1 }]);
    const at10 = allocate(slots, [{ variantId: 'c', percent: 10 }]);
    assert.deepEqual(at1[0], { variantId: 'c', from: 0, to: 100 });
    assert.deepEqual(at10[0], { variantId: 'c', from: 0, to: 1000 });
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      if (variantForBucket(at1, bucket) === 'c') assert.equal(variantForBucket(at10, bucket), 'c');
    }
    // The rest is split 50:30 between the control and b.
    const control = at10.find((r) => r.variantId === 'control')!;
    assert.equal(control.to - control.from, Math.round((9000 * 50) / 80));
  });

  it('gives a halted variant nothing, and nothing at all when no variant is active', () => {
    const ranges = allocate(slots.map((s) => (s.id === 'b' ? { ...s, active: false } : s)));
    assert.ok(!ranges.some((r) => r.variantId === 'b'));
    assert.equal(ranges.at(-1)!.to, BUCKETS);
    assert.equal(variantForBucket(allocate(slots.map((s) => ({ ...s, active: false }))), 42), null);
  });
});

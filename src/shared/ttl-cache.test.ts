import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TtlCache } from './ttl-cache.js';

test('keeps a found value for the TTL, shares concurrent loads, forgets on clear and on expiry', async () => {
  let now = 0;
  const cache = new TtlCache<string, number>(1000, 10, () => now);
  let loads = 0;
  const load = async () => ++loads;
  const [a, b] = await Promise.all([cache.get('k', load), cache.get('k', load)]);
  assert.deepEqual([a, b, loads], [1, 1, 1], 'concurrent misses share one load');
  now = 999;
  assert.equal(await cache.get('k', load), 1);
  now = 1000;
  assert.equal(await cache.get('k', load), 2, 'reloaded once the TTL has passed');
  cache.clear();
  assert.equal(await cache.get('k', load), 3, 'reloaded after clear()');
});

test('does not keep a load that found nothing or failed', async () => {
  const cache = new TtlCache<string, number>(1000);
  let calls = 0;
  assert.equal(await cache.get('k', async () => (calls++, undefined)), undefined);
  assert.equal(await cache.get('k', async () => (calls++, undefined)), undefined);
  await assert.rejects(cache.get('e', async () => { calls++; throw new Error('db down'); }));
  assert.equal(await cache.get('e', async () => (calls++, 7)), 7);
  assert.equal(calls, 4);
});

test('a load in flight when clear() runs is not kept', async () => {
  const cache = new TtlCache<string, string>(1000);
  let release!: (v: string) => void;
  const stale = cache.get('k', () => new Promise((r) => (release = r)));
  cache.clear();
  release('old');
  assert.equal(await stale, 'old');
  assert.equal(await cache.get('k', async () => 'new'), 'new');
});

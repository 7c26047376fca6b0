import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedCache } from './bounded-cache.js';

test('computes once per key and evicts the least recently used beyond the bound', () => {
  const cache = new BoundedCache<string, number>(2);
  let calls = 0;
  const f = (k: string) => (calls++, k.length);
  assert.equal(cache.through('a', f), 1);
  assert.equal(cache.through('bb', f), 2);
  assert.equal(cache.through('a', f), 1); // hit: 'a' becomes most recent
  assert.equal(calls, 2);
  cache.through('ccc', f); // evicts 'bb'
  assert.equal(cache.size, 2);
  cache.through('a', f);
  assert.equal(calls, 3);
  cache.through('bb', f);
  assert.equal(calls, 4);
});

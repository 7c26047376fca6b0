import { it } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from './ids.js';

it('ids are prefixed, unique and sort by creation time', () => {
  const ids = Array.from({ length: 2000 }, () => newId('msg'));
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual([...ids].sort(), ids);
  assert.match(ids[0], /^msg_[0-9A-HJKMNP-TV-Z]{26}$/);
  assert.ok(newId('x', 1000) < newId('x', 2000));
});

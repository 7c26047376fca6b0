import { it } from 'node:test';
import assert from 'node:assert/strict';
import { storable, storableString } from './storable.js';

it('removes NUL and replaces lone surrogates, keeping pairs, and leaves clean values untouched', () => {
  assert.equal(storableString('a\u0000b'), 'ab');
  assert.equal(storableString('x\ud800y\udc00z'), 'x\ufffdy\ufffdz');
  assert.equal(storableString('ok \ud83d\ude00 \n\t'), 'ok \ud83d\ude00 \n\t');
  const clean = { a: ['b', { c: 1 }], d: null };
  assert.equal(storable(clean), clean, 'no copy when nothing changes');
  const dirty = { id: 'wamid.\u0000x', list: ['ok', 'n\u0000'], nested: { ['k\u0000']: '\udfff' }, keep: { same: true } };
  const out = storable(dirty);
  assert.deepEqual(out, { id: 'wamid.x', list: ['ok', 'n'], nested: { k: '\ufffd' }, keep: { same: true } });
  assert.equal(out.keep, dirty.keep);
  assert.equal(dirty.id, 'wamid.\u0000x', 'the input is not changed');
});

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ORPHAN_LOOKUP_MAX_MS, decideOrphan } from './reconcile.js';

const GRACE = 30_000;
const CLAIMED = 1_000_000;

it('an orphan the provider has is recorded; one it does not have, or that cannot be asked, is sent again', () => {
  const found = { found: true as const, providerMessageId: '4012', evidence: 'listed' };
  assert.deepEqual(decideOrphan({ lookup: found }, CLAIMED, GRACE, CLAIMED + GRACE + 1), { kind: 'record', found });
  assert.deepEqual(decideOrphan({ lookup: { found: false } }, CLAIMED, GRACE, CLAIMED + GRACE + 1), { kind: 'requeue' });
  assert.deepEqual(decideOrphan({ lookup: undefined }, CLAIMED, GRACE, CLAIMED + GRACE + 1), { kind: 'requeue' });
});

it('an orphan whose provider cannot answer waits, and ends (never sent again) once it has waited too long', () => {
  assert.deepEqual(decideOrphan({ failed: true }, CLAIMED, GRACE, CLAIMED + GRACE + 1), { kind: 'wait' });
  assert.deepEqual(decideOrphan({ failed: true }, CLAIMED, GRACE, CLAIMED + GRACE + ORPHAN_LOOKUP_MAX_MS), { kind: 'wait' });
  assert.deepEqual(decideOrphan({ failed: true }, CLAIMED, GRACE, CLAIMED + GRACE + ORPHAN_LOOKUP_MAX_MS + 1), { kind: 'end' });
});

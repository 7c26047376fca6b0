import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { GENESIS_HASH, entryHash, signCheckpoint, type Checkpoint, type StoredEntry } from './hash.js';
import { verifyChain } from './verify.js';
import { auditDiff } from '../access/audit-port.js';

const key = randomBytes(32);

function chain(n: number, startAfter = { seq: 0, hash: GENESIS_HASH }): StoredEntry[] {
  const out: StoredEntry[] = [];
  let prev = startAfter.hash;
  for (let seq = startAfter.seq + 1; seq <= startAfter.seq + n; seq++) {
    const fields = { workspace_id: 'ws_1', seq, id: `aud_${seq}`, at: 1_000 + seq, actor_type: 'api_key', actor_id: 'key_1', actor_via: null, action: 'contact.updated', resource_type: 'contact', resource_id: `ct_${seq}`, diff: null, address: null, user_agent: null, request_id: null, prev_hash: prev };
    const entry = { ...fields, hash: entryHash(fields) };
    out.push(entry);
    prev = entry.hash;
  }
  return out;
}

function checkpoint(kind: Checkpoint['kind'], entry: { seq: number; hash: string }): Checkpoint {
  const unsigned = { id: `ackp_${kind}_${entry.seq}`, workspaceId: 'ws_1', kind, seq: entry.seq, hash: entry.hash, at: 5_000 };
  return { ...unsigned, signature: signCheckpoint(key, unsigned) };
}

test('an intact chain verifies, with its head and checkpoints', () => {
  const entries = chain(4);
  const report = verifyChain({ workspaceId: 'ws_1', key, entries, checkpoints: [checkpoint('schedule', entries[1]), checkpoint('schedule', entries[3])], head: { seq: 4, hash: entries[3].hash } });
  assert.deepEqual([report.ok, report.entries, report.lastSeq, report.checkpoints], [true, 4, 4, 2]);
});

test('the chain starts after the latest start checkpoint; rows left below it are ignored', () => {
  const entries = chain(6);
  const report = verifyChain({ workspaceId: 'ws_1', key, entries: entries.slice(1), checkpoints: [checkpoint('start', entries[2])], head: { seq: 6, hash: entries[5].hash } });
  assert.deepEqual([report.ok, report.entries, report.start.seq], [true, 3, 3]);
  const withoutStart = verifyChain({ workspaceId: 'ws_1', key, entries: entries.slice(3), checkpoints: [] });
  assert.deepEqual([withoutStart.ok, withoutStart.problem?.reason, withoutStart.problem?.seq], [false, 'gap', 4]);
});

test('a head beyond the last entry is a cut tail; entries without a head, or past it, are not the trail\'s', () => {
  const entries = chain(3);
  assert.equal(verifyChain({ workspaceId: 'ws_1', key, entries, checkpoints: [], head: { seq: 5, hash: 'f'.repeat(64) } }).problem?.reason, 'truncated');
  assert.equal(verifyChain({ workspaceId: 'ws_1', key, entries, checkpoints: [], head: null }).problem?.reason, 'head_mismatch');
  assert.equal(verifyChain({ workspaceId: 'ws_1', key, entries, checkpoints: [], head: { seq: 2, hash: entries[1].hash } }).problem?.reason, 'head_mismatch');
  assert.equal(verifyChain({ workspaceId: 'ws_1', key, entries: [], checkpoints: [], head: null }).ok, true, 'an empty trail');
});

test('checkpoints signed with another key, or of another workspace given as stored, fail', () => {
  const entries = chain(2);
  const foreign = { ...checkpoint('schedule', entries[1]), signature: signCheckpoint(randomBytes(32), { id: 'x', workspaceId: 'ws_1', kind: 'schedule', seq: 2, hash: entries[1].hash, at: 5_000 }) };
  assert.equal(verifyChain({ workspaceId: 'ws_1', key, entries, checkpoints: [foreign] }).problem?.reason, 'checkpoint_signature');
  const other = checkpoint('schedule', { seq: 9, hash: 'a'.repeat(64) });
  assert.equal(verifyChain({ workspaceId: 'ws_1', key, entries, checkpoints: [], exported: [{ ...other, workspaceId: 'ws_2' }] }).ok, true, 'an exported file may hold other workspaces');
  const notHex = { ...checkpoint('schedule', entries[1]), signature: 'zz' };
  assert.equal(verifyChain({ workspaceId: 'ws_1', key, entries, checkpoints: [notHex] }).problem?.reason, 'checkpoint_signature');
});

test('a diff names changed fields, sensitive ones by reference only', () => {
  const resource = { type: 'contact', id: 'ct_1' };
  assert.deepEqual(auditDiff(resource, { name: 'Ana', phone: '+1', tags: ['a'], same: 1 }, { name: 'Bea', phone: '+2', tags: ['a'], same: 1 }, ['name', 'phone']), {
    name: { ref: 'contact:ct_1.name' },
    phone: { ref: 'contact:ct_1.phone' },
  });
  assert.deepEqual(auditDiff({ type: 'api_key', id: 'key_1' }, undefined, { name: 'ci', secret: 'prl_x' }, ['secret']), { name: { to: 'ci' }, secret: { ref: 'api_key:key_1.secret' } });
  assert.deepEqual(auditDiff(resource, { language: 'en' }, undefined), { language: { from: 'en' } });
});

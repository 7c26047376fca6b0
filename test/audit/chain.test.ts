import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { openStore } from '../../src/db/database.js';
import { AuditLog } from '../../src/audit/audit-log.js';
import { GENESIS_HASH, entryHash } from '../../src/audit/hash.js';
import { checkpointKey, listCheckpoints, writeDueCheckpoints } from '../../src/audit/checkpoints.js';
import { purgeAuditEntries } from '../../src/audit/retention.js';
import { updateAuditRetention } from '../../src/audit/retention.js';
import { AuditRetentionWorker } from '../../src/audit/workers.js';
import { readHead } from '../../src/audit/entry-queries.js';
import { systemClock, DAY } from '../../src/shared/time.js';
import { entries, exec, recordSome, sql, verify } from './fixtures.js';

describeStorage('audit chain', (fx) => {
  it('chains entries per workspace: gapless seq, each hash over the previous one and every field, the head at the last', async () => {
    const ctx = fx.context();
    const { workspaceId } = await fx.workspace();
    const other = await fx.workspace();
    await recordSome(ctx, workspaceId, 5);
    await recordSome(ctx, other.workspaceId, 2);
    const rows = await entries(fx.db, workspaceId);
    assert.deepEqual(rows.map((r) => r.seq), [1, 2, 3, 4, 5]);
    assert.equal(rows[0].prev_hash, GENESIS_HASH);
    for (let i = 0; i < rows.length; i++) {
      assert.equal(rows[i].hash, entryHash(rows[i]));
      if (i) assert.equal(rows[i].prev_hash, rows[i - 1].hash);
    }
    assert.deepEqual(await readHead(fx.db, workspaceId), { seq: 5, hash: rows[4].hash });
    assert.deepEqual((await entries(fx.db, other.workspaceId)).map((r) => r.seq), [1, 2], 'each workspace has its own chain');
    // Personal data is a reference, never the value.
    assert.equal(rows[0].diff, '{"language":{"from":"en","to":"pt_BR"},"phone":{"ref":"contact:ct_x0.phone"}}');
    assert.ok(!rows.some((r) => r.diff?.includes('+5511')));
    assert.equal(rows[0].actor_via, 'key_abc');
    assert.equal(rows[0].address, '203.0.113.7');
    assert.equal(rows[0].request_id, 'req_0');
    const report = await verify(ctx, workspaceId);
    assert.equal(report.ok, true, report.problem?.message);
    assert.equal(report.entries, 5);
  });

  it('concurrent records from many callers and several connections make one gapless, valid chain in each caller\'s order', async () => {
    const ctx = fx.context();
    const a = await fx.workspace();
    const b = await fx.workspace();
    const stores = [fx.store, openStore(fx.url, { poolSize: 3 }), openStore(fx.url, { poolSize: 3 })];
    try {
      const logs = stores.map((s) => new AuditLog(s, systemClock));
      const perCaller = 40;
      await Promise.all(logs.flatMap((log, l) => [a.workspaceId, b.workspaceId].flatMap((workspaceId) =>
        Array.from({ length: perCaller }, (_, i) => log.record({ workspaceId, actor: { type: 'api_key', id: `key_${l}` }, action: 'contact.updated', resource: { type: 'contact', id: `ct_${l}_${i}` } })),
      )));
      for (const { workspaceId } of [a, b]) {
        const rows = await entries(fx.db, workspaceId);
        assert.deepEqual(rows.map((r) => r.seq), Array.from({ length: perCaller * logs.length }, (_, i) => i + 1));
        for (let l = 0; l < logs.length; l++) {
          const mine = rows.filter((r) => r.actor_id === `key_${l}`).map((r) => r.resource_id);
          assert.deepEqual(mine, Array.from({ length: perCaller }, (_, i) => `ct_${l}_${i}`), 'one caller\'s entries keep their submission order');
        }
        const report = await verify(ctx, workspaceId);
        assert.equal(report.ok, true, report.problem?.message);
      }
    } finally {
      await stores[1].close();
      await stores[2].close();
    }
  });

  it('an edited row fails verification naming it', async () => {
    const ctx = fx.context();
    const { workspaceId } = await fx.workspace();
    await recordSome(ctx, workspaceId, 6);
    const [, , third] = await entries(fx.db, workspaceId);
    await exec(fx.db, sql`update audit_entries set action = 'contact.created' where workspace_id = ${workspaceId} and seq = 3`);
    const report = await verify(ctx, workspaceId);
    assert.equal(report.ok, false);
    assert.deepEqual([report.problem!.reason, report.problem!.seq, report.problem!.id], ['edited', 3, third.id]);
  });

  it('a deleted row fails verification naming the entry after the gap', async () => {
    const ctx = fx.context();
    const { workspaceId } = await fx.workspace();
    await recordSome(ctx, workspaceId, 6);
    const rows = await entries(fx.db, workspaceId);
    await exec(fx.db, sql`delete from audit_entries where workspace_id = ${workspaceId} and seq = 3`);
    const report = await verify(ctx, workspaceId);
    assert.deepEqual([report.ok, report.problem!.reason, report.problem!.seq, report.problem!.id], [false, 'gap', 4, rows[3].id]);
    assert.match(report.problem!.message, /entry 3 is missing/);
  });

  it('swapped rows fail verification naming the first of them and the entry it was swapped with', async () => {
    const ctx = fx.context();
    const { workspaceId } = await fx.workspace();
    await recordSome(ctx, workspaceId, 6);
    const rows = await entries(fx.db, workspaceId);
    // Swap every field of entries 2 and 5 but their place (seq) and links, through a spare id.
    const fields = ['id', 'at', 'actor_type', 'actor_id', 'actor_via', 'action', 'resource_type', 'resource_id', 'diff', 'address', 'user_agent', 'request_id'] as const;
    const set = (row: (typeof rows)[number]) => sql.join(fields.map((f) => sql`${sql.ref(f)} = ${row[f]}`));
    await exec(fx.db, sql`update audit_entries set id = 'aud_spare' where workspace_id = ${workspaceId} and seq = 5`);
    await exec(fx.db, sql`update audit_entries set ${set(rows[4])} where workspace_id = ${workspaceId} and seq = 2`);
    await exec(fx.db, sql`update audit_entries set ${set(rows[1])} where workspace_id = ${workspaceId} and seq = 5`);
    const report = await verify(ctx, workspaceId);
    assert.equal(report.ok, false);
    assert.equal(report.problem!.reason, 'swapped');
    assert.equal(report.problem!.seq, 2);
    assert.equal(report.problem!.id, rows[4].id, 'the row at seq 2 now holds entry 5');
    assert.deepEqual(report.problem!.swappedWith, { seq: 5, id: rows[1].id });
  });

  it('swapping only the content fields (ids kept) fails at the first of the two rows', async () => {
    const ctx = fx.context();
    const { workspaceId } = await fx.workspace();
    await recordSome(ctx, workspaceId, 6);
    const rows = await entries(fx.db, workspaceId);
    await exec(fx.db, sql`update audit_entries set action = ${rows[3].action}, resource_id = ${rows[3].resource_id}, diff = ${rows[3].diff} where workspace_id = ${workspaceId} and seq = 3`);
    await exec(fx.db, sql`update audit_entries set action = ${rows[2].action}, resource_id = ${rows[2].resource_id}, diff = ${rows[2].diff} where workspace_id = ${workspaceId} and seq = 4`);
    const report = await verify(ctx, workspaceId);
    assert.deepEqual([report.ok, report.problem!.seq, report.problem!.id], [false, 3, rows[2].id]);
  });

  it('a truncated tail is caught by a checkpoint beyond it, stored or exported', async () => {
    const ctx = fx.context();
    const key = checkpointKey(ctx.keyring);
    const { workspaceId } = await fx.workspace();
    await recordSome(ctx, workspaceId, 6);
    const written = await writeDueCheckpoints(fx.db, key, Date.now());
    assert.deepEqual(written.filter((c) => c.workspaceId === workspaceId).map((c) => c.seq), [6]);
    assert.deepEqual((await writeDueCheckpoints(fx.db, key, Date.now())).filter((c) => c.workspaceId === workspaceId), [], 'no new checkpoint while the head stands still');
    const exported = await listCheckpoints(fx.db, workspaceId);
    assert.equal((await verify(ctx, workspaceId, exported)).ok, true);

    const rows = await entries(fx.db, workspaceId);
    // Cut the last two entries and move the head back, so the head agrees with the shortened chain.
    await exec(fx.db, sql`delete from audit_entries where workspace_id = ${workspaceId} and seq > 4`);
    await exec(fx.db, sql`update audit_heads set seq = 4, hash = ${rows[3].hash} where workspace_id = ${workspaceId}`);
    const report = await verify(ctx, workspaceId);
    assert.deepEqual([report.ok, report.problem!.reason, report.problem!.seq, report.problem!.id], [false, 'truncated', 4, rows[3].id]);

    // Deleting the stored checkpoint too: the exported one still tells.
    await exec(fx.db, sql`delete from audit_checkpoints where workspace_id = ${workspaceId}`);
    assert.equal((await verify(ctx, workspaceId)).ok, true, 'without any checkpoint a cut tail cannot be seen: hence exporting them');
    const withFile = await verify(ctx, workspaceId, exported);
    assert.deepEqual([withFile.ok, withFile.problem!.reason, withFile.problem!.seq], [false, 'truncated', 4]);
  });

  it('a chain rewritten and rehashed from an edit on is caught by the checkpoint', async () => {
    const ctx = fx.context();
    const { workspaceId } = await fx.workspace();
    await recordSome(ctx, workspaceId, 4);
    await writeDueCheckpoints(fx.db, checkpointKey(ctx.keyring), Date.now());
    const rows = await entries(fx.db, workspaceId);
    let prev = rows[1].hash;
    for (const row of rows.slice(2)) {
      const forged = { ...row, action: 'contact.viewed', prev_hash: prev };
      const hash = entryHash(forged);
      await exec(fx.db, sql`update audit_entries set action = ${forged.action}, prev_hash = ${prev}, hash = ${hash} where workspace_id = ${workspaceId} and seq = ${row.seq}`);
      prev = hash;
    }
    await exec(fx.db, sql`update audit_heads set hash = ${prev} where workspace_id = ${workspaceId}`);
    const report = await verify(ctx, workspaceId);
    assert.deepEqual([report.ok, report.problem!.reason, report.problem!.seq, report.problem!.id], [false, 'checkpoint_mismatch', 4, rows[3].id]);
  });

  it('a tampered checkpoint fails its signature', async () => {
    const ctx = fx.context();
    const { workspaceId } = await fx.workspace();
    await recordSome(ctx, workspaceId, 3);
    await writeDueCheckpoints(fx.db, checkpointKey(ctx.keyring), Date.now());
    const [checkpoint] = await listCheckpoints(fx.db, workspaceId);
    await exec(fx.db, sql`update audit_checkpoints set seq = 2 where id = ${checkpoint.id}`);
    const report = await verify(ctx, workspaceId);
    assert.deepEqual([report.ok, report.problem!.reason, report.problem!.checkpointId], [false, 'checkpoint_signature', checkpoint.id]);
    // An exported checkpoint edited in its file, too.
    await exec(fx.db, sql`update audit_checkpoints set seq = 3 where id = ${checkpoint.id}`);
    assert.equal((await verify(ctx, workspaceId)).ok, true);
    const forged = { ...checkpoint, seq: 9 };
    assert.equal((await verify(ctx, workspaceId, [forged])).problem?.reason, 'checkpoint_signature');
  });

  it('purging old entries keeps the chain verifiable from a signed start checkpoint', async () => {
    const ctx = fx.context();
    const key = checkpointKey(ctx.keyring);
    const { workspaceId } = await fx.workspace();
    const now = Date.now();
    await recordSome(ctx, workspaceId, 8, { at: (i) => now - (i < 5 ? 40 : 2) * DAY + i });
    await writeDueCheckpoints(fx.db, key, now);
    const rows = await entries(fx.db, workspaceId);

    const result = await purgeAuditEntries(fx.db, key, workspaceId, 30, now);
    assert.equal(result.purged, 5);
    assert.equal(result.start?.seq, 5);
    assert.deepEqual((await entries(fx.db, workspaceId)).map((r) => r.seq), [6, 7, 8]);
    let report = await verify(ctx, workspaceId);
    assert.equal(report.ok, true, report.problem?.message);
    assert.deepEqual(report.start, { seq: 5, hash: rows[4].hash });

    // New entries chain on; a second run has nothing to do.
    await recordSome(ctx, workspaceId, 2, { tag: 'later' });
    assert.equal((await purgeAuditEntries(fx.db, key, workspaceId, 30, now)).purged, 0);
    report = await verify(ctx, workspaceId);
    assert.deepEqual([report.ok, report.entries, report.lastSeq], [true, 5, 10]);

    // Without the start checkpoint the purged entries are a gap again.
    await exec(fx.db, sql`delete from audit_checkpoints where workspace_id = ${workspaceId} and kind = 'start'`);
    report = await verify(ctx, workspaceId);
    assert.deepEqual([report.ok, report.problem!.reason, report.problem!.seq], [false, 'gap', 6]);
  });

  it('the retention worker purges by the workspace setting and records the purge; a broken chain is not purged', async () => {
    const ctx = fx.context();
    const key = checkpointKey(ctx.keyring);
    const { workspaceId } = await fx.workspace();
    const broken = await fx.workspace();
    const now = Date.now();
    for (const ws of [workspaceId, broken.workspaceId]) {
      await recordSome(ctx, ws, 4, { at: (i) => now - (i < 2 ? 400 : 1) * DAY + i });
      await updateAuditRetention(fx.db, ws, { retentionDays: 365 });
    }
    await exec(fx.db, sql`update audit_entries set actor_id = 'someone_else' where workspace_id = ${broken.workspaceId} and seq = 1`);
    const purged = await new AuditRetentionWorker(ctx).runOnce();
    assert.equal(purged[workspaceId], 2);
    assert.equal(purged[broken.workspaceId], undefined);
    assert.equal((await entries(fx.db, broken.workspaceId)).length, 4, 'the evidence stays');
    const rows = await entries(fx.db, workspaceId);
    assert.deepEqual(rows.map((r) => r.seq), [3, 4, 5]);
    assert.equal(rows[2].action, 'audit.purged');
    assert.equal(rows[2].actor_type, 'system');
    assert.equal(rows[2].diff, '{"retentionDays":{"to":365},"start":{"from":0,"to":2}}');
    assert.equal((await verify(ctx, workspaceId)).ok, true);
    assert.equal((await listCheckpoints(fx.db, workspaceId)).some((c) => c.kind === 'start' && c.seq === 2), true);
    assert.ok(key.length === 32);
  });
});

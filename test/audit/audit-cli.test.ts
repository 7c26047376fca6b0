import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describeStorage } from '../harness/storage.js';
import { runCli } from '../harness/cli.js';
import { checkpointKey, writeDueCheckpoints } from '../../src/audit/checkpoints.js';
import { entries, exec, recordSome, sql } from './fixtures.js';

describeStorage('parley audit', (fx) => {
  it('verify passes on intact chains, fails naming the first bad entry, and reads exported checkpoints', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-audit-cli-'));
    fx.onTearDown(() => rmSync(dir, { recursive: true, force: true }));
    const env = { DATABASE_URL: fx.url, PARLEY_MASTER_KEY: fx.masterKey.toString('base64'), PARLEY_DATA_DIR: dir, PARLEY_LOG_LEVEL: 'silent' };
    const ctx = fx.context();
    const a = await fx.workspace();
    const b = await fx.workspace();
    await recordSome(ctx, a.workspaceId, 5);
    await recordSome(ctx, b.workspaceId, 3);
    await writeDueCheckpoints(fx.db, checkpointKey(ctx.keyring), Date.now());

    const ok = await runCli(['audit', 'verify'], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`ok +${a.workspaceId}: entries 1 to 5`));
    assert.match(ok.stdout, new RegExp(`ok +${b.workspaceId}: entries 1 to 3`));

    const exported = await runCli(['audit', 'checkpoints', '--workspace', a.workspaceId], env);
    assert.equal(exported.code, 0, exported.stderr);
    const file = path.join(dir, 'checkpoints.jsonl');
    writeFileSync(file, exported.stdout);
    assert.equal(exported.stdout.trim().split('\n').length, 1);

    // Cut the tail of a and remove its stored checkpoint: only the exported file can tell.
    const rows = await entries(fx.db, a.workspaceId);
    await exec(fx.db, sql`delete from audit_entries where workspace_id = ${a.workspaceId} and seq = 5`);
    await exec(fx.db, sql`update audit_heads set seq = 4, hash = ${rows[3].hash} where workspace_id = ${a.workspaceId}`);
    await exec(fx.db, sql`delete from audit_checkpoints where workspace_id = ${a.workspaceId}`);
    assert.equal((await runCli(['audit', 'verify', '--workspace', a.workspaceId], env)).code, 0);
    const cut = await runCli(['audit', 'verify', '--workspace', a.workspaceId, '--checkpoints', file], env);
    assert.equal(cut.code, 1);
    assert.match(cut.stdout, new RegExp(`FAILED +${a.workspaceId}: truncated at entry 4 \\(${rows[3].id}\\)`));

    // An edited row of b fails the run over every workspace, named in JSON too.
    const bRows = await entries(fx.db, b.workspaceId);
    await exec(fx.db, sql`update audit_entries set address = '198.51.100.1' where workspace_id = ${b.workspaceId} and seq = 2`);
    const edited = await runCli(['audit', 'verify', '--json'], env);
    assert.equal(edited.code, 1);
    const reports = edited.stdout.trim().split('\n').map((line) => JSON.parse(line));
    const report = reports.find((r) => r.workspaceId === b.workspaceId);
    assert.deepEqual([report.ok, report.problem.reason, report.problem.seq, report.problem.id], [false, 'edited', 2, bRows[1].id]);

    // Checkpoints signed under another master key are not accepted.
    const wrongKey = await runCli(['audit', 'verify', '--workspace', b.workspaceId], { ...env, PARLEY_MASTER_KEY: randomBytes(32).toString('base64') });
    assert.equal(wrongKey.code, 1);
  });
});

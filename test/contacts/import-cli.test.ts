import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../harness/cli.js';
import { openStore } from '../../src/db/database.js';

it('parley contacts import: imports the good rows, shows progress on standard error, reports every bad row and exits 2', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-import-'));
  try {
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'parley.db')}`, PARLEY_DATA_DIR: dir, PARLEY_LOG_LEVEL: 'silent', PARLEY_MASTER_KEY: undefined };
    const ws = await runCli(['workspaces', 'create', 'Shop', '--json'], env);
    assert.equal(ws.code, 0, ws.stderr);
    const workspaceId = JSON.parse(ws.stdout).id;
    const lines = ['phone;name;email;tags;cidade'];
    for (let n = 1; n <= 2000; n++) lines.push(n % 100 === 0 ? `0000;Ruim ${n};r${n}@example.com;x;Recife` : `(11) 9${String(n).padStart(4, '0')}-1234;Cliente ${n};c${n}@example.com;vip|loja;São Paulo`);
    const file = path.join(dir, 'contacts.csv');
    writeFileSync(file, lines.join('\r\n'));
    const errorsFile = path.join(dir, 'errors.csv');
    const run = await runCli(['contacts', 'import', file, '--workspace', workspaceId, '--country', 'BR', '--errors', errorsFile, '--batch-size', '250'], env);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /Importing contacts: 2,000\/2,000 rows \(100%\), [\d,]+ rows\/s, 20 failed/);
    assert.match(run.stdout, /Imported 1,980 of 2,000 rows: 1,980 created, 0 updated, 20 failed\./);
    assert.match(run.stdout, /Columns imported as custom attributes: cidade\./, 'unknown column names are said, so a typo shows');
    assert.match(run.stdout, /row 101, column phone: "0000" is not a possible phone number/);
    const report = readFileSync(errorsFile, 'utf8').trim().split('\n');
    assert.equal(report[0], 'row,column,message');
    assert.equal(report.length, 21);
    assert.match(report[1], /^101,phone,/);
    const store = openStore(env.DATABASE_URL);
    try {
      const count = await store.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 1980);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

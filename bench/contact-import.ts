// Benchmark of the contact CSV import: rows per second for a file of BENCH_ROWS contacts (1% bad), each
// row validated, its phone normalized, four fields encrypted and three hashed, written in batches of
// 1,000 per transaction. The limit it is compared with is measured in the same run on the same
// database: the raw insert rate of the same number of contact rows with no validation or crypto.
//
// Knobs (environment): BENCH_ROWS (default 100000), BENCH_DATABASE_URL (default a fresh SQLite file;
// a postgres:// URL benchmarks PostgreSQL — the database must be empty or new).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { configWith } from '../src/config/load.js';
import { openStore } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { createContext } from '../src/main/create-context.js';
import { createLogger } from '../src/observability/logger.js';
import { createWorkspace } from '../src/workspaces/workspace-queries.js';
import { importContacts } from '../src/contacts/import-contacts.js';
import { parseCsv } from '../src/contacts/csv.js';
import { newId } from '../src/shared/ids.js';
import { machine, round } from './lib/machine.js';
import { consentLedger } from '../src/consent/ledger-queries.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const url = process.env.BENCH_DATABASE_URL ?? `sqlite:${path.join(mkdtempSync(path.join(os.tmpdir(), 'parley-bench-import-')), 'parley.db')}`;
const log = (line: string) => process.stderr.write(`${line}\n`);

const store = openStore(url, { poolSize: 4 });
await migrate(store);
const ctx = createContext({ config: configWith({ databaseUrl: url, logLevel: 'silent' }), masterKey: randomBytes(32), store, logger: createLogger({ level: 'silent' }) });

let csv = 'phone,name,email,language,tags,city\n';
for (let n = 1; n <= ROWS; n++) {
  csv += n % 100 === 0 ? `not-a-phone,Bad ${n},bad${n}@example.com,pt-BR,x,Recife\n` : `+55119${String(n).padStart(8, '0')},Cliente ${n},c${n}@example.com,pt-BR,vip|loja,São Paulo\n`;
}
const records = parseCsv(csv);

// The limit: the same number of contact rows inserted raw, 1,000 per transaction.
const rawWorkspace = await createWorkspace(store.db, { name: 'raw' });
const rawStart = performance.now();
for (let start = 0; start < ROWS; start += 1000) {
  const now = Date.now();
  const rows = Array.from({ length: Math.min(1000, ROWS - start) }, (_, i) => ({
    id: newId('ct', now), workspace_id: rawWorkspace.id, phone_hash: `h${start + i}`, phone: `+5511${start + i}`, wa_id_hash: `w${start + i}`, wa_id: `5511${start + i}`,
    name: `Cliente ${start + i}`, email_hash: `e${start + i}`, email: `c${start + i}@example.com`, language: 'pt-BR', time_zone: 'America/Sao_Paulo', country: 'BR',
    attributes: '{"city":"São Paulo"}', tags: '["vip","loja"]', created_at: now, updated_at: now,
  }));
  await store.db.transaction().execute((tx) => tx.insertInto('contacts').values(rows).execute());
}
const rawSeconds = (performance.now() - rawStart) / 1000;

const workspace = await createWorkspace(store.db, { name: 'bench' });
const cpuStart = process.cpuUsage();
const started = performance.now();
const report = await importContacts(store.db, ctx.keyring, workspace.id, records, { actor: { type: 'system', id: 'bench' }, consentLedger });
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStart);

const rate = report.total / seconds;
const rawRate = ROWS / rawSeconds;
const result = {
  benchmark: 'contact-import',
  database: store.dialect,
  rows: report.total,
  created: report.created,
  failed: report.failed,
  seconds: round(seconds, 2),
  rowsPerSecond: round(rate, 0),
  rawInsertRowsPerSecond: round(rawRate, 0),
  ratioToRawInsert: round(rate / rawRate, 3),
  cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2),
  rssMB: round(process.memoryUsage().rss / 2 ** 20, 0),
  machine: machine(),
};
log(`imported ${report.created} of ${report.total} rows (${report.failed} bad) in ${result.seconds} s: ${result.rowsPerSecond} rows/s`);
log(`raw insert of the same rows: ${result.rawInsertRowsPerSecond} rows/s; the import runs at ${result.ratioToRawInsert} of it`);
await store.close();
console.log(JSON.stringify(result));

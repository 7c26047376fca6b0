// `npm test`: runs every test file (unit tests beside the code in src/, integration, end-to-end
// and browser tests in test/) with node's test runner through tsx.
// Pass file paths to run only those: `npm test -- test/foundation/config.test.ts`.
// PARLEY_TEST_POSTGRES_URL switches the PostgreSQL suite on; without it that suite is skipped, visibly.
import { readdirSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function collect(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) collect(full, out);
    else if (entry.name.endsWith('.test.ts')) out.push(path.relative(root, full));
  }
  return out;
}

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));
const files = requested.length
  ? requested.flatMap((p) => (statSync(path.resolve(root, p)).isDirectory() ? collect(path.resolve(root, p)) : [p]))
  : [...collect(path.join(root, 'src')), ...collect(path.join(root, 'test'))];

if (!process.env.PARLEY_TEST_POSTGRES_URL) {
  if (process.env.PARLEY_TEST_POSTGRES_REQUIRED === '1') {
    console.error('PARLEY_TEST_POSTGRES_REQUIRED=1 but PARLEY_TEST_POSTGRES_URL is not set.');
    process.exit(1);
  }
  console.log('NOTICE: the PostgreSQL suite is skipped (set PARLEY_TEST_POSTGRES_URL=postgres://user@127.0.0.1:5432/db to run it).');
}

const concurrency = Math.max(2, Math.min(4, os.availableParallelism()));
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...flags, ...files.sort()],
  { stdio: 'inherit', cwd: root },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

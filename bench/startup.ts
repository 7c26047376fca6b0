// Start-up benchmark: `parley start` (built, embedded SQLite, the emulator on) from process start to
// ready, on a data directory that already exists (the usual restart), and its RSS once ready.
// Target: under 1 s to ready. Knob: BENCH_RUNS (default 5).
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from './lib/emulator-process.js';
import { machine, percentile, round } from './lib/machine.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LIMIT_MS = 1000;
execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-if-stale.mjs')], { stdio: 'inherit' });
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'parley-bench-startup-'));
const env = { ...process.env, PARLEY_DATA_DIR: dataDir, DATABASE_URL: `sqlite:${path.join(dataDir, 'parley.db')}`, PARLEY_PORT: '0', PARLEY_EMULATOR_PORT: '0', PARLEY_LOG_LEVEL: 'warn' };

async function startOnce(): Promise<{ readyMs: number; rssMB: number }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/parley.js'), 'start', '--json'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = await new Promise<{ readyAfterMs: number }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
    child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
  });
  await new Promise((r) => setTimeout(r, 500));
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const rssKB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return { readyMs: ready.readyAfterMs, rssMB: rssKB / 1024 };
}

const first = await startOnce(); // creates the database, the demo workspace and the master key
const runs = [];
for (let i = 0; i < RUNS; i++) runs.push(await startOnce());
const ready = runs.map((r) => r.readyMs).sort((a, b) => a - b);
const result = {
  bench: 'startup',
  firstStartMs: first.readyMs,
  readyMsMedian: percentile(ready, 50),
  readyMsMax: ready.at(-1),
  limitMs: LIMIT_MS,
  ratioToLimit: round(percentile(ready, 50) / LIMIT_MS, 3),
  idleRssMB: round(Math.max(...runs.map((r) => r.rssMB)), 0),
  machine: machine(),
};
console.log(`first start (creates everything): ${first.readyMs} ms; restart to ready: median ${result.readyMsMedian} ms, max ${result.readyMsMax} ms (limit ${LIMIT_MS} ms); idle RSS ${result.idleRssMB} MB`);
console.log(JSON.stringify(result));

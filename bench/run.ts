// `npm run bench` runs every benchmark, one after another, each in its own process (so one's heap and
// threads do not disturb the next); `npm run bench -- <name>` runs bench/<name>.ts alone. Each
// benchmark prints a human summary and, as its last line, one JSON object with its figures; the full
// run ends by printing those lines together (the figures bench/RESULTS.md records).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const name = process.argv[2];
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3))
  .sort();

if (name === undefined) {
  const summary: string[] = [];
  let failed = 0;
  for (const bench of available) {
    console.log(`\n=== ${bench} ===`);
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, `${bench}.ts`)], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    process.stdout.write(run.stdout);
    const last = run.stdout.trim().split('\n').at(-1) ?? '';
    if (run.status !== 0 || !last.startsWith('{')) {
      failed++;
      summary.push(JSON.stringify({ bench, failed: true, exitCode: run.status }));
    } else summary.push(last);
  }
  console.log('\n=== all figures ===');
  for (const line of summary) console.log(line);
  process.exit(failed ? 1 : 0);
}

if (!/^[a-z0-9-]+$/.test(name) || !existsSync(path.join(here, `${name}.ts`))) {
  console.error(`usage: npm run bench [-- <name>]   (available: ${available.join(', ') || 'none'})`);
  process.exit(1);
}
await import(pathToFileURL(path.join(here, `${name}.ts`)).href);

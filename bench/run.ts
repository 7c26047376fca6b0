// `npm run bench -- <name>`: runs bench/<name>.ts. Each benchmark prints human-readable lines and,
// last, one JSON object with its figures.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const name = process.argv[2];
// Helpers of benchmarks live in bench/lib/; every other file here is a benchmark.
const available = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'run.ts').map((f) => f.replace(/\.ts$/, ''));

if (!name || !/^[a-z0-9-]+$/.test(name) || !existsSync(path.join(dir, `${name}.ts`))) {
  console.error(`usage: npm run bench -- <name>   (available: ${available.join(', ') || 'none'})`);
  process.exit(2);
}
await import(`./${name}.ts`);

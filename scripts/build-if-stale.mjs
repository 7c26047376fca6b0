// Builds dist/ when any source file is newer than the last build (`npm start`, `bin/parley.js`),
// or always with --force (`npm run build`). Compiles with tsc and copies non-TypeScript assets
// (HTML, CSS, JSON under src/) beside the compiled files.
import { readdirSync, statSync, existsSync, mkdirSync, copyFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.built');

function walk(dir, visit) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, visit);
    else visit(full);
  }
}

let newestSource = statSync(path.join(root, 'tsconfig.build.json')).mtimeMs;
walk(src, (file) => { newestSource = Math.max(newestSource, statSync(file).mtimeMs); });
const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;

if (process.argv.includes('--force') || newestSource > builtAt) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  process.stderr.write('Building Parley (tsc)...\n');
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
  walk(src, (file) => {
    if (file.endsWith('.ts')) return;
    const target = path.join(dist, path.relative(src, file));
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(file, target);
  });
  writeFileSync(stamp, new Date().toISOString());
}

// Builds dist/ when any source file is newer than the last build (`npm start`, `bin/parley.js`,
// `npm install` through `prepare`), or always with --force (`npm run build`):
// - the server: compiles src/ with tsc and copies non-TypeScript assets (HTML, CSS, JSON under src/)
//   beside the compiled files;
// - the web console: builds console/ with Vite into dist/console-app/ and reports the gzipped size of
//   the JavaScript a first visit loads, failing when it is over the budget (decision 0025).
// `--console` builds only the console (what the browser tests need).
import { readdirSync, readFileSync, statSync, existsSync, mkdirSync, copyFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.built');
const consoleSrc = path.join(root, 'console');
const consoleDist = path.join(dist, 'console-app');
const consoleStamp = path.join(consoleDist, '.built');
/** The most JavaScript, gzipped, the console may load before it first draws (issue 17). */
const INITIAL_JS_BUDGET = 250 * 1024;

const force = process.argv.includes('--force');
const consoleOnly = process.argv.includes('--console');

function walk(dir, visit) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, visit);
    else visit(full);
  }
}

function newest(files, dirs) {
  let at = Math.max(...files.map((f) => statSync(f).mtimeMs));
  for (const dir of dirs) walk(dir, (file) => { at = Math.max(at, statSync(file).mtimeMs); });
  return at;
}

const builtAt = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0);

function buildServer() {
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

/** The gzipped bytes of the scripts index.html loads: its entry and the chunks it preloads. */
function initialJsGzipped() {
  const html = readFileSync(path.join(consoleDist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/console\/([^"]+\.js)"/g)].map((m) => m[1]);
  return { files, bytes: files.reduce((sum, file) => sum + gzipSync(readFileSync(path.join(consoleDist, file))).length, 0) };
}

async function buildConsole() {
  process.stderr.write('Building the console (vite)...\n');
  const { build } = await import('vite');
  await build({ configFile: path.join(consoleSrc, 'vite.config.ts'), logLevel: 'warn' });
  const { files, bytes } = initialJsGzipped();
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  process.stderr.write(`Console: initial JavaScript ${kb(bytes)} gzipped (${files.length} file${files.length === 1 ? '' : 's'}; budget ${kb(INITIAL_JS_BUDGET)})\n`);
  if (bytes > INITIAL_JS_BUDGET) {
    process.stderr.write(`The console's initial JavaScript is over its budget: split a page out with a dynamic import() or drop a dependency.\n`);
    process.exit(1);
  }
  writeFileSync(consoleStamp, new Date().toISOString());
}

if (!consoleOnly && (force || newest([path.join(root, 'tsconfig.build.json')], [src]) > builtAt(stamp))) buildServer();
// The lock file counts as a console source: a new version of a library changes the bundle.
if (force || newest([path.join(root, 'package-lock.json')], [consoleSrc]) > builtAt(consoleStamp)) await buildConsole();

// The dependency rules (.dependency-cruiser.cjs and scripts/module-cycles.ts) run against small
// throw-away trees, to show each rule reports what it is meant to and nothing else, and against
// the real tree, which must have no violation beyond the known ones.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compareWithKnown, cruiseTree, moduleCycles, moduleGraph, readKnown } from '../../scripts/module-cycles.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');

/** Every violation of the project's rules in `baseDir`'s src/, as 'rule: from -> to', sorted. */
async function violations(baseDir: string): Promise<string[]> {
  const result = await cruiseTree(CONFIG, ['src'], { baseDir });
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

/** The module cycles in `baseDir`'s src/, as the check prints them. */
async function cycles(baseDir: string): Promise<string[]> {
  const found = moduleCycles(moduleGraph(await cruiseTree(CONFIG, ['src'], { baseDir })));
  return found.map(({ from, to, cycle }) => `${from} -> ${to} (cycle: ${cycle.join(' -> ')})`);
}

/** A project in a temporary folder: package.json, tsconfig.json, node_modules and the given files. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-deps-'));
  const all: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'fixture', type: 'module', devDependencies: { devpkg: '1.0.0' } }),
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
    'node_modules/devpkg/package.json': JSON.stringify({ name: 'devpkg', version: '1.0.0', main: 'index.js' }),
    'node_modules/devpkg/index.js': 'export const dev = 1;\n',
    'node_modules/otherpkg/package.json': JSON.stringify({ name: 'otherpkg', version: '1.0.0', main: 'index.js' }),
    'node_modules/otherpkg/index.js': 'export const other = 1;\n',
    ...files,
  };
  for (const [file, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('dependency rules', () => {
  let broken = '';
  let clean = '';

  before(() => {
    broken = project({
      // Modules a and b depend on each other, though no chain of file imports closes a cycle.
      'src/a/x.ts': "import { y } from '../b/y.js';\nexport const x = y;\n",
      'src/b/y.ts': "import { z } from '../a/z.js';\nexport const y = z;\n",
      'src/a/z.ts': 'export const z = 1;\n',
      // A cycle of files across modules c and d, and one inside module e.
      'src/c/p.ts': "import { q } from '../d/q.js';\nexport const p = (): number => q();\n",
      'src/d/q.ts': "import { p } from '../c/p.js';\nexport const q = (): number => p();\n",
      'src/e/one.ts': "import { two } from './two.js';\nexport const one = (): number => two();\n",
      'src/e/two.ts': "import { one } from './one.js';\nexport const two = (): number => one();\n",
      // Module g's tables: only g itself may import them; not f, not even src/db/.
      'src/g/tables.ts': 'export interface GTable { id: string }\n',
      'src/g/own.ts': "import type { GTable } from './tables.js';\nexport type Own = GTable;\n",
      'src/db/schema.ts': "import type { GTable } from '../g/tables.js';\nexport interface Schema { g: GTable }\n",
      'src/f/uses-tables.ts': "import type { GTable } from '../g/tables.js';\nexport type Foreign = GTable;\n",
      // The provider port may be imported from anywhere, a provider family's folder only from src/channels/.
      'src/channels/port.ts': "import { send } from './ultramsg/client.js';\nexport const port = send;\n",
      'src/channels/ultramsg/client.ts': 'export const send = 1;\n',
      'src/h/port-user.ts': "import { port } from '../channels/port.js';\nexport const h = port;\n",
      'src/h/adapter-user.ts': "import { send } from '../channels/ultramsg/client.js';\nexport const h2 = send;\n",
      // Packages, unresolvable imports and test code.
      'src/i/dev.ts': "import { dev } from 'devpkg';\nexport const i = dev;\n",
      'src/i/dev-types.ts': "import type { dev } from 'devpkg';\nexport type I = typeof dev;\n",
      'src/i/undeclared.ts': "import { other } from 'otherpkg';\nexport const i2 = other;\n",
      'src/i/missing.ts': "import { gone } from './nowhere.js';\nexport const i3 = gone;\n",
      'src/i/harness.ts': "import { helper } from '../../test/helper.js';\nexport const i4 = helper;\n",
      'src/i/dev.test.ts': "import { dev } from 'devpkg';\nimport { helper } from '../helper.js';\nexport const t = [dev, helper];\n",
      'test/helper.ts': 'export const helper = 1;\n',
      // The pure template text imports nothing of Parley's but src/shared/ and src/errors/.
      'src/template-text/render.ts': "import { e } from '../errors/e.js';\nimport { s } from '../shared/s.js';\nimport { h } from '../h/port-user.js';\nexport const r = [e, s, h];\n",
      'src/errors/e.ts': 'export const e = 1;\n',
      'src/shared/s.ts': 'export const s = 1;\n',
      // The composition root may be imported by the CLI only.
      'src/main/root.ts': "import { z } from '../a/z.js';\nexport const root = z;\n",
      'src/cli/start.ts': "import { root } from '../main/root.js';\nexport const start = root;\n",
      'src/k/uses-root.ts': "import { root } from '../main/root.js';\nexport const k = root;\n",
    });
    clean = project({
      'src/a/x.ts': "import { y } from '../b/y.js';\nimport type { ATable } from './tables.js';\nexport const x: ATable = { id: String(y) };\n",
      'src/a/tables.ts': 'export interface ATable { id: string }\n',
      'src/b/y.ts': "import { port } from '../channels/port.js';\nimport { other } from 'otherpkg';\nexport const y = port + other;\n",
      'src/b/y.test.ts': "import { x } from '../a/x.js';\nimport { dev } from 'devpkg';\nexport const t = [x, dev];\n",
      'src/db/schema.ts': 'export interface Schema { tables: string[] }\n',
      'src/channels/port.ts': "import { send } from './ultramsg/client.js';\nexport const port = send;\n",
      'src/channels/ultramsg/client.ts': "import type { dev } from 'devpkg';\nexport const send: typeof dev = 1;\n",
      'package.json': JSON.stringify({
        name: 'fixture',
        type: 'module',
        dependencies: { otherpkg: '1.0.0' },
        devDependencies: { devpkg: '1.0.0' },
      }),
    });
  });

  after(() => {
    for (const dir of [broken, clean]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('each rule reports its violations in a tree that breaks them, and only those', async () => {
    assert.deepEqual(await violations(broken), [
      'no-adapter-internals: src/h/adapter-user.ts -> src/channels/ultramsg/client.ts',
      // dependency-cruiser names each cycle once, by one of its imports.
      'no-circular: src/c/p.ts -> src/d/q.ts',
      'no-circular: src/e/one.ts -> src/e/two.ts',
      'no-cross-module-circular: src/c/p.ts -> src/d/q.ts',
      'no-dev-deps: src/i/dev.ts -> node_modules/devpkg/index.js',
      'no-foreign-tables: src/db/schema.ts -> src/g/tables.ts',
      'no-foreign-tables: src/f/uses-tables.ts -> src/g/tables.ts',
      'no-test-code: src/i/harness.ts -> test/helper.ts',
      'no-undeclared-packages: src/i/undeclared.ts -> node_modules/otherpkg/index.js',
      'no-unresolvable: src/i/missing.ts -> ./nowhere.js',
      'only-cli-imports-the-root: src/k/uses-root.ts -> src/main/root.ts',
      'template-text-is-low-level: src/template-text/render.ts -> src/h/port-user.ts',
      // Nothing about src/a and src/b: they depend on each other through no cycle of files, which
      // only the module check sees (next test).
    ]);
  });

  test('module cycles are found even where no chain of file imports closes them', async () => {
    assert.deepEqual(await cycles(broken), [
      'src/a -> src/b (cycle: src/a -> src/b -> src/a)',
      'src/b -> src/a (cycle: src/b -> src/a -> src/b)',
      'src/c -> src/d (cycle: src/c -> src/d -> src/c)',
      'src/d -> src/c (cycle: src/d -> src/c -> src/d)',
    ]);
  });

  test('known module cycles pass, a new one fails', async () => {
    const dir = project({
      'src/a/x.ts': "import { y } from '../b/y.js';\nexport const x = y;\n",
      'src/b/y.ts': 'export const y = 1;\n',
      'src/b/z.ts': "import { w } from '../a/w.js';\nexport const z = w;\n",
      'src/a/w.ts': 'export const w = 1;\n',
      'src/a/v.ts': "import { u } from '../c/u.js';\nexport const v = u;\n",
      'src/c/u.ts': "import { x } from '../a/x.js';\nexport const u = (): number => x;\n",
      'known.json': JSON.stringify([
        { from: 'src/a', to: 'src/b' },
        { from: 'src/b', to: 'src/a' },
      ]),
    });
    try {
      const found = moduleCycles(moduleGraph(await cruiseTree(CONFIG, ['src'], { baseDir: dir })));
      const { fresh, gone } = compareWithKnown(found, readKnown(path.join(dir, 'known.json')));
      assert.deepEqual(
        fresh.map(({ from, to }) => `${from} -> ${to}`),
        ['src/a -> src/c', 'src/c -> src/a'],
      );
      assert.equal(gone, 0);
      assert.deepEqual(compareWithKnown(found, [...readKnown(path.join(dir, 'known.json')), { from: 'src/c', to: 'src/b' }]).gone, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a tree that keeps the rules reports nothing', async () => {
    assert.deepEqual(await violations(clean), []);
    assert.deepEqual(await cycles(clean), []);
  });

  test('the real tree has no violation beyond the known ones', async () => {
    const result = await cruiseTree(CONFIG, ['src'], {
      baseDir: ROOT,
      knownViolationsFile: '.dependency-cruiser-known-violations.json',
    });
    const errors = result.summary.violations.filter((v) => v.rule.severity === 'error');
    assert.deepEqual(errors, []);
    const { fresh } = compareWithKnown(
      moduleCycles(moduleGraph(result)),
      readKnown(path.join(ROOT, '.dependency-cruiser-known-module-cycles.json')),
    );
    assert.deepEqual(fresh, []);
  });
});

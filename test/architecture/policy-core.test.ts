// The policy core (src/policy/: drafts, gates, verdicts, decisions) imports nothing of Parley's but
// other policy files and the refusal codes, so every module can depend on it and it on none of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '../../src');
const POLICY = path.join(SRC, 'policy');
const ALLOWED = [path.join(SRC, 'errors', 'refusal-codes.ts')];

test('src/policy/ imports only policy files and the refusal codes', () => {
  const outside: string[] = [];
  for (const name of readdirSync(POLICY).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
    const text = readFileSync(path.join(POLICY, name), 'utf8');
    for (const [, specifier] of text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
      if (!specifier.startsWith('.')) continue;
      const target = path.resolve(POLICY, specifier.replace(/\.js$/, '.ts'));
      if (path.dirname(target) !== POLICY && !ALLOWED.includes(target)) outside.push(`policy/${name} -> ${path.relative(SRC, target)}`);
    }
  }
  assert.deepEqual(outside, []);
});

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the console's built files are: `dist/console-app/` under the package root, built from
 * `console/` by `scripts/build-if-stale.mjs` (docs/decisions/0025-web-console.md). This module sits two
 * folders below the root both as source (`src/console/`) and compiled (`dist/console/`).
 */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CONSOLE_BUILD_DIR = path.join(PACKAGE_ROOT, 'dist', 'console-app');

/** Hashed build output: its names change with its content, so browsers keep it for good. */
export const IMMUTABLE_PREFIX = 'assets/';

/**
 * What a path under /console/ answers with: a built file, the app's page (any other path is a
 * client-side route the app draws itself), or a 404 for a missing hashed asset (an old page asking for a
 * file a newer build replaced must not get HTML in its place).
 */
export function consoleTarget(buildDir: string, relative: string): { kind: 'file'; file: string; immutable: boolean } | { kind: 'page' } | { kind: 'missing' } {
  const clean = path.posix.normalize('/' + relative).slice(1);
  if (clean === '' || clean === 'index.html') return { kind: 'page' };
  const immutable = clean.startsWith(IMMUTABLE_PREFIX);
  // Dot-files (the build's .vite manifest, its stamp) are not served.
  const hidden = clean.split('/').some((segment) => segment.startsWith('.'));
  if (!hidden && existsSync(path.join(buildDir, clean))) return { kind: 'file', file: clean, immutable };
  return immutable ? { kind: 'missing' } : { kind: 'page' };
}

const built = new Set<string>();
/** Whether the console has been built (checked until it has, so a build made while running is picked up). */
export function consoleBuilt(buildDir: string): boolean {
  if (!built.has(buildDir) && existsSync(path.join(buildDir, 'index.html'))) built.add(buildDir);
  return built.has(buildDir);
}

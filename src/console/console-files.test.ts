import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { consoleBuilt, consoleTarget } from './console-files.js';

function buildDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-console-'));
  mkdirSync(path.join(dir, 'assets'));
  mkdirSync(path.join(dir, '.vite'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
  writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), '');
  writeFileSync(path.join(dir, '.vite', 'manifest.json'), '{}');
  writeFileSync(path.join(dir, 'robots.txt'), '');
  return dir;
}

it('answers a hashed asset as immutable, another built file as it is, and any other path with the app page', () => {
  const dir = buildDir();
  try {
    assert.deepEqual(consoleTarget(dir, 'assets/index-abc123.js'), { kind: 'file', file: 'assets/index-abc123.js', immutable: true });
    assert.deepEqual(consoleTarget(dir, 'robots.txt'), { kind: 'file', file: 'robots.txt', immutable: false });
    assert.deepEqual(consoleTarget(dir, ''), { kind: 'page' });
    assert.deepEqual(consoleTarget(dir, 'index.html'), { kind: 'page' });
    assert.deepEqual(consoleTarget(dir, 'inbox/cnv_1'), { kind: 'page' }, 'a client-side route');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('answers a missing hashed asset with a 404 (not the page), and never serves dot-files or anything above the build', () => {
  const dir = buildDir();
  try {
    assert.deepEqual(consoleTarget(dir, 'assets/index-old999.js'), { kind: 'missing' });
    assert.deepEqual(consoleTarget(dir, '.vite/manifest.json'), { kind: 'page' });
    assert.deepEqual(consoleTarget(dir, '../../etc/passwd'), { kind: 'page' });
    assert.deepEqual(consoleTarget(dir, 'assets/../../index.html'), { kind: 'page' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('sees a console built after the server started', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-console-'));
  try {
    assert.equal(consoleBuilt(dir), false);
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
    assert.equal(consoleBuilt(dir), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

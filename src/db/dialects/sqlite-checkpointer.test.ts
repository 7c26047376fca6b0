import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteCheckpointer, type CheckpointReport } from './sqlite-checkpointer.js';
import { createSqliteDialect } from './sqlite.js';

it('copies the WAL written by another connection into the database file, from its own thread', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-ckpt-'));
  const file = path.join(dir, 'db.sqlite');
  const db = new BetterSqlite3(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0'); // this connection never checkpoints: only the thread can
    db.exec('create table t (x text)');
    const sizeBefore = statSync(file).size;
    const reports: CheckpointReport[] = [];
    const errors: Error[] = [];
    const checkpointer = new SqliteCheckpointer(file, { everyMs: 10, onCheckpoint: (r) => reports.push(r), onError: (e) => errors.push(e) });
    const insert = db.prepare('insert into t values (?)');
    for (let i = 0; i < 200; i++) insert.run('x'.repeat(2000));
    while (!reports.some((r) => r.log > 0 && r.checkpointed === r.log)) await new Promise((r) => setTimeout(r, 10));
    await checkpointer.stop();
    assert.deepEqual(errors, []);
    assert.ok(statSync(file).size > sizeBefore + 200 * 2000, 'the rows are in the database file itself');
    await checkpointer.stop(); // idempotent
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('a store with background checkpoints leaves its own connection a high fallback threshold, and closes the thread with it', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-ckpt-'));
  try {
    const { raw, checkpointer } = createSqliteDialect(`sqlite:${path.join(dir, 'a.db')}`, { backgroundCheckpoints: { everyMs: 10 } });
    assert.ok(checkpointer);
    assert.ok(Number(raw.pragma('wal_autocheckpoint', { simple: true })) > 1000);
    raw.exec('create table t (x text)');
    raw.prepare('insert into t values (?)').run('x');
    await checkpointer.stop();
    raw.close();
    const plain = createSqliteDialect(`sqlite:${path.join(dir, 'b.db')}`);
    assert.equal(plain.checkpointer, undefined);
    assert.equal(Number(plain.raw.pragma('wal_autocheckpoint', { simple: true })), 1000, 'SQLite default without the thread');
    plain.raw.close();
    const memory = createSqliteDialect('sqlite::memory:', { backgroundCheckpoints: {} });
    assert.equal(memory.checkpointer, undefined, 'nothing to share for :memory:');
    memory.raw.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('truncates the WAL to nothing once the database is idle and every frame is copied', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-ckpt-'));
  const file = path.join(dir, 'db.sqlite');
  const db = new BetterSqlite3(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('create table t (x text)');
    const insert = db.prepare('insert into t values (?)');
    for (let i = 0; i < 500; i++) insert.run('x'.repeat(2000));
    assert.ok(statSync(`${file}-wal`).size > 500 * 2000, 'the burst is in the WAL');
    const reports: CheckpointReport[] = [];
    const checkpointer = new SqliteCheckpointer(file, { everyMs: 10, onCheckpoint: (r) => reports.push(r) });
    while (!reports.some((r) => r.truncated)) await new Promise((r) => setTimeout(r, 10));
    assert.equal(statSync(`${file}-wal`).size, 0);
    insert.run('after');
    assert.equal((db.prepare('select count(*) as n from t').get() as { n: number }).n, 501, 'writing goes on after the truncation');
    await checkpointer.stop();
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

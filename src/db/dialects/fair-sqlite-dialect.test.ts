import { it } from 'node:test';
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FairSqliteDialect } from './fair-sqlite-dialect.js';
import { createSqliteDialect } from './sqlite.js';
import { WriteTurnstile } from './write-turnstile.js';

it('hands the one connection to waiting queries in arrival order, transactions keeping it to themselves', async () => {
  const db = new Kysely<{ t: { n: number } }>({ dialect: new FairSqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  try {
    await sql`create table t (n integer)`.execute(db);
    const finished: string[] = [];
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      if (i % 5 === 0) {
        // A transaction holds the connection across awaits: nothing else may run inside it.
        work.push(
          db.transaction().execute(async (tx) => {
            await tx.insertInto('t').values({ n: i }).execute();
            await new Promise((r) => setTimeout(r, 5));
            const count = await tx.selectFrom('t').select((eb) => eb.fn.countAll<number>().as('c')).where('n', '=', i).executeTakeFirstOrThrow();
            assert.equal(Number(count.c), 1);
            finished.push(`tx${i}`);
          }),
        );
      } else {
        work.push(db.insertInto('t').values({ n: i }).execute().then(() => finished.push(`q${i}`)));
      }
    }
    await Promise.all(work);
    const expected = Array.from({ length: 20 }, (_, i) => (i % 5 === 0 ? `tx${i}` : `q${i}`));
    assert.deepEqual(finished, expected);
  } finally {
    await db.destroy();
  }
});

it('with a turnstile, a write waits for another connection\'s open transaction without stopping the event loop, then commits', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'turnstile-'));
  const turnstile = new WriteTurnstile();
  const open = () => {
    const { dialect, checkpointer } = createSqliteDialect(`sqlite:${path.join(dir, 'db.sqlite')}`, { writeTurnstile: turnstile });
    assert.equal(checkpointer, undefined);
    return new Kysely<{ t: { n: number } }>({ dialect });
  };
  const a = open();
  const b = open();
  try {
    await sql`create table t (n integer)`.execute(a);
    let finishB!: () => void;
    const bHolds = new Promise<void>((r) => (finishB = r));
    let bStarted!: () => void;
    const bIn = new Promise<void>((r) => (bStarted = r));
    const bTx = b.transaction().execute(async (tx) => {
      await tx.insertInto('t').values({ n: 1 }).execute();
      bStarted();
      await bHolds;
    });
    await bIn;
    // Without the turnstile, A's BEGIN IMMEDIATE would sleep this thread in SQLite's busy handler until
    // its timeout (B cannot commit meanwhile: it runs on this same thread) and fail with SQLITE_BUSY.
    const aTx = a.transaction().execute((tx) => tx.insertInto('t').values({ n: 2 }).execute());
    const aAutocommit = a.insertInto('t').values({ n: 3 }).execute();
    await new Promise((r) => setImmediate(r));
    finishB();
    await Promise.all([bTx, aTx, aAutocommit]);
    const rows = await a.selectFrom('t').select('n').orderBy('n').execute();
    assert.deepEqual(rows.map((r) => r.n), [1, 2, 3]);
  } finally {
    await a.destroy();
    await b.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});

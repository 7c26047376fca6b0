import { it } from 'node:test';
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { FairSqliteDialect } from './fair-sqlite-dialect.js';

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

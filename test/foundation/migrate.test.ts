import { it, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openStore } from '../../src/db/database.js';
import { MIGRATIONS } from '../../src/db/migrations/index.js';
import { POSTGRES_SKIP_REASON, POSTGRES_URL, createPostgresDatabase } from '../harness/postgres.js';
import { runCli } from '../harness/cli.js';

describe('migrations on PostgreSQL [postgres]', { skip: POSTGRES_URL ? false : POSTGRES_SKIP_REASON }, () => {
  let database: { url: string; drop: () => Promise<void> };
  before(async () => {
    database = await createPostgresDatabase();
  });
  after(() => database.drop());

  it('three processes migrating one database at once leave it migrated exactly once', async () => {
    const results = await Promise.all([1, 2, 3].map(() => runCli(['migrate'], { DATABASE_URL: database.url })));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const applied = results.filter((r) => r.stdout.startsWith('Applied')).length;
    assert.equal(applied, 1, 'exactly one process applied the migrations');
    const store = openStore(database.url, { poolSize: 1 });
    try {
      const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db);
      assert.deepEqual(rows.rows.map((r) => r.name), Object.keys(MIGRATIONS).sort());
    } finally {
      await store.close();
    }
  });
});

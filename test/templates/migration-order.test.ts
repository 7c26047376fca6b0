import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Migrator, type Migration as KyselyMigration } from 'kysely';
import { openStore } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { MIGRATIONS } from '../../src/db/migrations/index.js';

describe('migration 0005-templates on a database that already has later migrations', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-mig-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is applied on its own, after 0006 and the others', async () => {
    const store = openStore(`sqlite:${path.join(dir, 'p.db')}`);
    try {
      // A database migrated by a build without the templates module.
      const without: Record<string, KyselyMigration> = {};
      for (const [name, m] of Object.entries(MIGRATIONS)) if (name !== '0005-templates') without[name] = { up: (db) => m.up(db, store.dialect) };
      const first = await new Migrator({ db: store.db, provider: { getMigrations: async () => without } }).migrateToLatest();
      assert.equal(first.error, undefined);
      assert.deepEqual(await migrate(store), { applied: ['0005-templates'] });
      assert.deepEqual(await store.db.selectFrom('templates').selectAll().execute(), []);
      assert.deepEqual(await migrate(store), { applied: [] });
    } finally {
      await store.close();
    }
  });
});

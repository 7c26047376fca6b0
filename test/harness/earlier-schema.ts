import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Migrator, type Kysely } from 'kysely';
import type { DialectName } from '../../src/db/dialect.js';
import { openStore, type Store } from '../../src/db/database.js';
import { MIGRATIONS } from '../../src/db/migrations/index.js';
import { createPostgresDatabase } from './postgres.js';

/**
 * A throw-away database of its own (a SQLite file, or a PostgreSQL database on the test server) with
 * only the migrations `keep` names applied: the schema as an earlier Parley left it, for tests of a
 * later migration or backfill. `cleanup` gets what removes it, to run after the store is closed.
 */
export async function storeAtEarlierSchema(
  dialect: DialectName,
  keep: (migration: string) => boolean,
  cleanup: Array<() => unknown>,
  poolSize = 2,
): Promise<{ store: Store; url: string }> {
  let url: string;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-earlier-schema-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    url = `sqlite:${path.join(dir, 'parley.db')}`;
  } else {
    const db = await createPostgresDatabase();
    cleanup.push(db.drop);
    url = db.url;
  }
  const store = openStore(url, { poolSize });
  const kept = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => keep(name)).map(([name, m]) => [name, { up: (db: Kysely<any>) => m.up(db, dialect) }]));
  const { error } = await new Migrator({ db: store.db, provider: { getMigrations: async () => kept }, allowUnorderedMigrations: true }).migrateToLatest();
  if (error) {
    await store.close();
    throw error;
  }
  return { store, url };
}

import { createRequire } from 'node:module';
import type PgModule from 'pg';
import { PostgresDialect } from 'kysely';

// `pg` is loaded only when a postgres:// URL is used: the embedded default starts without it.
let loaded: typeof PgModule | undefined;
export function loadPg(): typeof PgModule {
  if (!loaded) {
    loaded = createRequire(import.meta.url)('pg') as typeof PgModule;
    // int8 (bigint) columns hold epoch milliseconds and counters, well inside 2^53: read them as numbers.
    loaded.types.setTypeParser(20, (value) => Number(value));
    // numeric results (sums, averages) likewise.
    loaded.types.setTypeParser(1700, (value) => Number(value));
  }
  return loaded;
}

export function createPostgresDialect(url: string, poolSize: number) {
  const pool = new (loadPg().Pool)({ connectionString: url, max: poolSize });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  return { dialect: new PostgresDialect({ pool }), pool };
}

import pg from 'pg';
import { PostgresDialect } from 'kysely';

// int8 (bigint) columns hold epoch milliseconds and counters, well inside 2^53: read them as numbers.
pg.types.setTypeParser(20, (value) => Number(value));
// numeric results (sums, averages) likewise.
pg.types.setTypeParser(1700, (value) => Number(value));

export function createPostgresDialect(url: string, poolSize: number) {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  return { dialect: new PostgresDialect({ pool }), pool };
}

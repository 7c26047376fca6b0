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

export interface PostgresOptions {
  /** Called when a pooled connection fails outside a query (restart, failover, network). */
  onConnectionError?: (error: Error) => void;
}

/** How long acquiring a connection may take before the query fails (and the request is answered 503). */
const CONNECT_TIMEOUT_MS = 5_000;

export function createPostgresDialect(url: string, poolSize: number, options: PostgresOptions = {}) {
  const pool = new (loadPg().Pool)({ connectionString: url, max: poolSize, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true });
  const report = (error: Error) => options.onConnectionError?.(error);
  // A connection that dies (PostgreSQL restarted: 57P01, "Connection terminated unexpectedly") makes pg
  // emit 'error' on its client. The pool listens on idle clients only; a client checked out by a query
  // or transaction at that moment has no listener, and an unhandled 'error' event ends the process.
  // Every client therefore gets its own listener for its whole life: the query in flight fails with the
  // same error (and is answered 503 or retried), and the pool discards the broken client on release.
  pool.on('connect', (client) => client.on('error', report));
  pool.on('error', report);
  return { dialect: new PostgresDialect({ pool }), pool };
}

import { Kysely } from 'kysely';
import type pg from 'pg';
import { dialectOf, type DialectName } from './dialect.js';
import { createSqliteDialect, type SqliteOptions } from './dialects/sqlite.js';
import { createPostgresDialect, type PostgresOptions } from './dialects/postgres.js';
import type { Database } from './schema.js';
import type { StorageMonitor } from './storage-monitor.js';

export type Db = Kysely<Database>;

/** An open database: the Kysely handle (passed to every query function), its dialect, and close(). */
export interface Store {
  readonly db: Db;
  readonly dialect: DialectName;
  readonly url: string;
  /** The pg pool on PostgreSQL, for session-level work such as advisory locks. */
  readonly pgPool?: pg.Pool;
  /** SQLite file databases: free space, WAL size and full-disk episodes (storage-monitor.ts). */
  readonly storage?: StorageMonitor;
  close(): Promise<void>;
}

export interface StoreOptions extends SqliteOptions, PostgresOptions {
  /** Connections in the pool (PostgreSQL). */
  poolSize?: number;
}

export function openStore(url: string, options: StoreOptions = {}): Store {
  const dialect = dialectOf(url);
  if (dialect === 'sqlite') {
    const { dialect: kyselyDialect, checkpointer, monitor } = createSqliteDialect(url, options);
    const db = new Kysely<Database>({ dialect: kyselyDialect });
    return {
      db,
      dialect,
      url,
      storage: monitor,
      close: async () => {
        await db.destroy();
        await checkpointer?.stop();
      },
    };
  }
  const { dialect: kyselyDialect, pool } = createPostgresDialect(url, options.poolSize ?? 10, options);
  const db = new Kysely<Database>({ dialect: kyselyDialect });
  return { db, dialect, url, pgPool: pool, close: () => db.destroy() };
}

import type BetterSqlite3 from 'better-sqlite3';
import { BoundedCache } from '../../shared/bounded-cache.js';

/**
 * better-sqlite3 behind a prepared-statement cache. Kysely's SQLite driver calls `prepare(sql)` for
 * every query; preparing is a large share of a small query's cost, and a statement can be reused.
 * Least-recently-used statements are dropped past `size` (IN lists of varying length make many texts).
 */
export function withStatementCache(database: BetterSqlite3.Database, size = 1000): BetterSqlite3.Database {
  const cache = new BoundedCache<string, BetterSqlite3.Statement>(size);
  // Write transactions take the write lock up front: a deferred BEGIN that reads and then writes fails
  // with SQLITE_BUSY_SNAPSHOT when another process (`serve` beside `worker`) committed in between.
  const prepare = (text: string) => cache.through(text === 'begin' ? 'begin immediate' : text, (sql) => database.prepare(sql));
  return new Proxy(database, {
    get(target, property, receiver) {
      if (property === 'prepare') return prepare;
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

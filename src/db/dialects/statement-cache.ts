import type BetterSqlite3 from 'better-sqlite3';

/**
 * better-sqlite3 behind a prepared-statement cache. Kysely's SQLite driver calls `prepare(sql)` for
 * every query; preparing is a large share of a small query's cost, and a statement can be reused.
 * Least-recently-used statements are dropped past `size` (IN lists of varying length make many texts).
 */
export function withStatementCache(database: BetterSqlite3.Database, size = 1000): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = (text: string) => {
    // Write transactions take the write lock up front: a deferred BEGIN that reads and then writes fails
    // with SQLITE_BUSY_SNAPSHOT when another process (`serve` beside `worker`) committed in between.
    const sql = text === 'begin' ? 'begin immediate' : text;
    let stmt = cache.get(sql);
    if (stmt) {
      cache.delete(sql);
      cache.set(sql, stmt);
      return stmt;
    }
    stmt = database.prepare(sql);
    cache.set(sql, stmt);
    if (cache.size > size) cache.delete(cache.keys().next().value!);
    return stmt;
  };
  return new Proxy(database, {
    get(target, property, receiver) {
      if (property === 'prepare') return prepare;
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

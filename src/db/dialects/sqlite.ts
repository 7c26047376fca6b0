import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { FairSqliteDialect } from './fair-sqlite-dialect.js';
import { sqlitePath } from '../dialect.js';
import { withStatementCache } from './statement-cache.js';

/**
 * SQLite through better-sqlite3: one connection (SQLite has one writer anyway), WAL so readers never
 * block the writer, `synchronous=NORMAL`, which in WAL mode survives a process crash (`kill -9`) and
 * loses at most the last commits on power loss (docs/decisions/0002-sqlite-durability.md).
 * `secure_delete` zeroes the bytes of deleted and overwritten content, so an erased phone number or
 * purged message body does not linger in free space of the database file (privacy/erase-contact.ts).
 */
export function createSqliteDialect(url: string) {
  const file = sqlitePath(url);
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new BetterSqlite3(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  database.pragma('cache_size = -16384');
  database.pragma('secure_delete = ON');
  return { dialect: new FairSqliteDialect({ database: withStatementCache(database) }), raw: database };
}

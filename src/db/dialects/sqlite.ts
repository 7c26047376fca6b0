import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { FairSqliteDialect } from './fair-sqlite-dialect.js';
import { sqlitePath } from '../dialect.js';
import { withStatementCache } from './statement-cache.js';
import { SqliteCheckpointer, type CheckpointerOptions } from './sqlite-checkpointer.js';
import { StorageMonitor } from '../storage-monitor.js';
import type { WriteTurnstile } from './write-turnstile.js';

/** With a checkpoint thread, the connection checkpoints by itself only past this many WAL pages (~32 MB). */
const FALLBACK_AUTOCHECKPOINT_PAGES = 8000;
/**
 * A WAL that was fully checkpointed is cut back to this size when writing starts over at its
 * beginning, so a burst does not keep its high-water mark on disk (the checkpoint thread also
 * truncates it to nothing when the database is idle).
 */
export const WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

export interface SqliteOptions {
  /** Checkpoint the WAL from a background thread (file databases only); see sqlite-checkpointer.ts. */
  backgroundCheckpoints?: Pick<CheckpointerOptions, 'onError'> & { everyMs?: number };
  /**
   * Another connection of this process checkpoints from a background thread (`parley start`'s worker
   * thread leaves it to the main thread's): this one checkpoints by itself only as a fallback, as the
   * checkpointing connection's own does.
   */
  checkpointsElsewhere?: boolean;
  /** Writes take turns with the other connections of this process that share it (write-turnstile.ts). */
  writeTurnstile?: WriteTurnstile;
}

/**
 * SQLite through better-sqlite3: one connection (SQLite has one writer anyway), WAL so readers never
 * block the writer, `synchronous=NORMAL`, which in WAL mode survives a process crash (`kill -9`) and
 * loses at most the last commits on power loss (docs/decisions/0002-sqlite-durability.md).
 * `secure_delete` zeroes the bytes of deleted and overwritten content, so an erased phone number or
 * purged message body does not linger in free space of the database file (privacy/erase-contact.ts).
 */
export function createSqliteDialect(url: string, options: SqliteOptions = {}) {
  const file = sqlitePath(url);
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new BetterSqlite3(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  database.pragma('cache_size = -16384');
  database.pragma('secure_delete = ON');
  database.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  const monitor = file === ':memory:' ? undefined : new StorageMonitor(file);
  let checkpointer: SqliteCheckpointer | undefined;
  if ((options.backgroundCheckpoints || options.checkpointsElsewhere) && file !== ':memory:') database.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  if (options.backgroundCheckpoints && file !== ':memory:') {
    checkpointer = new SqliteCheckpointer(file, { everyMs: options.backgroundCheckpoints.everyMs ?? 100, walSizeLimitBytes: WAL_SIZE_LIMIT_BYTES, onError: options.backgroundCheckpoints.onError });
  }
  return { dialect: new FairSqliteDialect({ database: withStatementCache(database), raw: database, monitor, turnstile: options.writeTurnstile }), raw: database, checkpointer, monitor };
}

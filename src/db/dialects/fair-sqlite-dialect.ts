import { SqliteAdapter, SqliteDriver, SqliteIntrospector, SqliteQueryCompiler, type CompiledQuery, type DatabaseConnection, type Dialect, type Kysely, type QueryResult, type SqliteDialectConfig } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import type { StorageMonitor } from '../storage-monitor.js';
import type { WriteTurnstile } from './write-turnstile.js';

export interface FairSqliteDialectConfig extends SqliteDialectConfig {
  /** The connection itself (not a wrapper): asked whether a transaction is still open. */
  raw?: BetterSqlite3.Database;
  /** Told of writes that fail for lack of space and of writes that succeed (storage-monitor.ts). */
  monitor?: StorageMonitor;
  /** Turns at the write lock shared with the process's other threads (write-turnstile.ts; needs `raw`). */
  turnstile?: WriteTurnstile;
}

const WRITE = /^\s*(insert|update|delete|replace)\b/i;
const COMMIT = /^\s*(commit|end)\b/i;

/**
 * The connection as Kysely uses it, reporting to the storage monitor: an SQLITE_FULL becomes a
 * STORAGE_FULL error (503), and a committed write ends a full-disk episode.
 */
class MonitoredConnection implements DatabaseConnection {
  readonly #inner: DatabaseConnection;
  readonly #raw: BetterSqlite3.Database;
  readonly #monitor: StorageMonitor;
  /** The open transaction changed rows (its commit proves there is room again). */
  #wrote = false;

  constructor(inner: DatabaseConnection, raw: BetterSqlite3.Database, monitor: StorageMonitor) {
    this.#inner = inner;
    this.#raw = raw;
    this.#monitor = monitor;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      const result = await this.#inner.executeQuery<R>(query);
      if (this.#monitor.full) {
        // Only a commit that wrote something ends an episode: an empty transaction commits on a full disk too.
        if (WRITE.test(query.sql) && Number(result.numAffectedRows ?? 0) > 0) {
          if (this.#raw.inTransaction) this.#wrote = true;
          else this.#monitor.committed();
        } else if (COMMIT.test(query.sql) && this.#wrote) this.#monitor.committed();
      }
      if (!this.#raw.inTransaction) this.#wrote = false;
      return result;
    } catch (error) {
      if (this.#monitor.isFullError(error)) throw this.#monitor.failed(error as Error);
      throw error;
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.#inner.streamQuery<R>(query, chunkSize);
  }
}

/**
 * A write outside a transaction takes the write lock for its own statement: it waits for its turn
 * at the turnstile like a transaction does.
 */
class TurnstileConnection implements DatabaseConnection {
  readonly #inner: DatabaseConnection;
  readonly #raw: BetterSqlite3.Database;
  readonly #turnstile: WriteTurnstile;

  constructor(inner: DatabaseConnection, raw: BetterSqlite3.Database, turnstile: WriteTurnstile) {
    this.#inner = inner;
    this.#raw = raw;
    this.#turnstile = turnstile;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#raw.inTransaction || !WRITE.test(query.sql)) return this.#inner.executeQuery<R>(query);
    const release = await this.#turnstile.enter();
    try {
      return await this.#inner.executeQuery<R>(query);
    } finally {
      release();
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.#inner.streamQuery<R>(query, chunkSize);
  }
}

/**
 * Kysely's SQLite driver shares its one connection through a mutex that wakes every waiter on each
 * release (all but one go back to sleep): under load, with hundreds of requests queued for the
 * connection, that is quadratic work on the event loop. This driver hands the connection over in
 * arrival order instead: one wake-up per release.
 */
class FairSqliteDriver extends SqliteDriver {
  #connection: DatabaseConnection | undefined;
  #busy = false;
  readonly #waiting: Array<(connection: DatabaseConnection) => void> = [];
  readonly #raw?: BetterSqlite3.Database;
  readonly #monitor?: StorageMonitor;
  readonly #turnstile?: WriteTurnstile;
  /** Gives the turn at the write lock back (set while this connection's transaction is open). */
  #releaseTurn: (() => void) | undefined;

  constructor(config: FairSqliteDialectConfig) {
    super(config);
    this.#raw = config.raw;
    this.#monitor = config.monitor;
    this.#turnstile = config.raw ? config.turnstile : undefined;
  }

  override async init(): Promise<void> {
    await super.init();
    // The parent owns the one connection; borrow it once and keep the reference.
    const connection = await super.acquireConnection();
    let wrapped = this.#raw && this.#monitor ? new MonitoredConnection(connection, this.#raw, this.#monitor) : connection;
    if (this.#raw && this.#turnstile) wrapped = new TurnstileConnection(wrapped, this.#raw, this.#turnstile);
    this.#connection = wrapped;
    await super.releaseConnection();
  }

  /** `BEGIN IMMEDIATE` takes the write lock: wait for this thread's turn first (write-turnstile.ts). */
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.#turnstile) this.#releaseTurn = await this.#turnstile.enter();
    try {
      await super.beginTransaction(connection);
    } catch (error) {
      this.#giveTurnBack();
      throw error;
    }
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.commitTransaction(connection);
    } finally {
      // A failed COMMIT leaves the transaction open only when SQLite says so (then a rollback follows).
      if (!this.#raw?.inTransaction) this.#giveTurnBack();
    }
  }

  #giveTurnBack(): void {
    const release = this.#releaseTurn;
    this.#releaseTurn = undefined;
    release?.();
  }

  /**
   * SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR, ...): a
   * ROLLBACK then fails with "cannot rollback - no transaction is active", and that error would
   * replace the one that says what went wrong.
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      if (this.#raw && !this.#raw.inTransaction) return;
      await super.rollbackTransaction(connection);
    } finally {
      this.#giveTurnBack();
    }
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    if (!this.#busy) {
      this.#busy = true;
      return this.#connection!;
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  override async releaseConnection(): Promise<void> {
    const next = this.#waiting.shift();
    if (next) next(this.#connection!);
    else this.#busy = false;
  }
}

export class FairSqliteDialect implements Dialect {
  readonly #config: FairSqliteDialectConfig;

  constructor(config: FairSqliteDialectConfig) {
    this.#config = config;
  }

  createDriver() {
    return new FairSqliteDriver(this.#config);
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }

  createAdapter() {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}

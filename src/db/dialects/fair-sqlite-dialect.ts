import { SqliteAdapter, SqliteDriver, SqliteIntrospector, SqliteQueryCompiler, type DatabaseConnection, type Dialect, type Kysely, type SqliteDialectConfig } from 'kysely';

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

  override async init(): Promise<void> {
    await super.init();
    // The parent owns the one connection; borrow it once and keep the reference.
    this.#connection = await super.acquireConnection();
    await super.releaseConnection();
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
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
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

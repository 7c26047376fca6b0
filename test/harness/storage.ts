import { after, before, describe } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DIALECTS, type DialectName } from '../../src/db/dialect.js';
import { openStore, type Store } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { configWith, type Config } from '../../src/config/load.js';
import { createContext } from '../../src/main/create-context.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import { createLogger } from '../../src/observability/logger.js';
import { buildApp } from '../../src/http/app.js';
import { APP } from '../../src/main/modules.js';
import type { ParleyApp } from '../../src/http/types.js';
import { createWorkspace } from '../../src/workspaces/workspace-queries.js';
import { createApiKey } from '../../src/access/api-key-queries.js';
import type { Scope } from '../../src/access/scopes.js';
import { POSTGRES_SKIP_REASON, POSTGRES_URL, createPostgresDatabase } from './postgres.js';

/** A fresh, migrated database of one dialect, with helpers to build a context and an app on it. */
export class StorageFixture {
  readonly dialect: DialectName;
  #store?: Store;
  #url?: string;
  #cleanup: Array<() => Promise<void> | void> = [];
  readonly masterKey = randomBytes(32);

  constructor(dialect: DialectName) {
    this.dialect = dialect;
  }

  get store(): Store {
    if (!this.#store) throw new Error('StorageFixture used before setUp()');
    return this.#store;
  }
  get db() {
    return this.store.db;
  }
  get url(): string {
    return this.#url!;
  }

  async setUp(): Promise<void> {
    if (this.dialect === 'sqlite') {
      const dir = mkdtempSync(path.join(tmpdir(), 'parley-test-'));
      this.#url = `sqlite:${path.join(dir, 'parley.db')}`;
      this.#cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    } else {
      const { url, drop } = await createPostgresDatabase();
      this.#url = url;
      this.#cleanup.push(drop);
    }
    this.#store = openStore(this.#url, { poolSize: 5 });
    await migrate(this.#store);
  }

  /** Registers work to undo at tearDown (apps to close, servers to stop), run in reverse order. */
  onTearDown(fn: () => Promise<void> | void): void {
    this.#cleanup.push(fn);
  }

  async tearDown(): Promise<void> {
    const cleanup = this.#cleanup.reverse();
    const store = this.#store;
    this.#cleanup = [];
    // Close everything built on the store first, then the store, then drop the database.
    for (const fn of cleanup.slice(0, -1)) await fn();
    await store?.close();
    await cleanup.at(-1)?.();
  }

  config(overrides: Partial<Record<keyof Config, unknown>> = {}): Config {
    return configWith({ databaseUrl: this.url, logLevel: 'silent', ...overrides });
  }

  /** A ParleyContext sharing this fixture's store. */
  context(overrides: Partial<Record<keyof Config, unknown>> = {}): ParleyContext {
    return createContext({ config: this.config(overrides), masterKey: this.masterKey, store: this.store, logger: createLogger({ level: 'silent' }) });
  }

  async app(ctx: ParleyContext = this.context()): Promise<ParleyApp> {
    const app = await buildApp(ctx, APP);
    this.onTearDown(() => app.close());
    // Ready before the first request: a test's clock starts before it, not while plugins load.
    await app.ready();
    return app;
  }

  /** A new workspace and an API key for it. */
  async workspace(scopes: Scope[] = ['admin']): Promise<{ workspaceId: string; key: string; authorization: string }> {
    const ws = await createWorkspace(this.db, { name: `test ${randomBytes(3).toString('hex')}` });
    const { key } = await createApiKey(this.db, { workspaceId: ws.id, name: 'test', scopes });
    return { workspaceId: ws.id, key, authorization: `Bearer ${key}` };
  }
}

/**
 * Runs `body` once per storage dialect, each with a fresh database: SQLite always, PostgreSQL when
 * PARLEY_TEST_POSTGRES_URL is set (otherwise the block is reported as skipped, with the reason).
 */
export function describeStorage(title: string, body: (fixture: StorageFixture) => void): void {
  for (const dialect of DIALECTS) {
    const skip = dialect === 'postgres' && !POSTGRES_URL ? POSTGRES_SKIP_REASON : false;
    describe(`${title} [${dialect}]`, { skip }, () => {
      const fixture = new StorageFixture(dialect);
      before(() => fixture.setUp());
      after(() => fixture.tearDown());
      body(fixture);
    });
  }
}

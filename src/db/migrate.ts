import { Migrator, type MigrationProvider, type Migration as KyselyMigration } from 'kysely';
import type { Store } from './database.js';
import { MIGRATIONS } from './migrations/index.js';

// A constant key for the session-level advisory lock that serialises migrations across processes.
const MIGRATION_LOCK_KEY = 7_352_617_001;

export interface MigrationReport {
  applied: string[];
}

function provider(store: Store): MigrationProvider {
  return {
    async getMigrations() {
      const out: Record<string, KyselyMigration> = {};
      for (const [name, migration] of Object.entries(MIGRATIONS)) {
        out[name] = { up: (db) => migration.up(db, store.dialect) };
      }
      return out;
    },
  };
}

/**
 * Applies pending migrations. On PostgreSQL, processes starting together take an advisory lock first,
 * so each migration runs exactly once; the rest wait, then find nothing left to do.
 */
export async function migrate(store: Store): Promise<MigrationReport> {
  // Modules number their migrations independently (0003 webhooks, 0006 outbound, ...), so a database may
  // have a later number applied before an earlier one lands; each migration still runs exactly once.
  const migrator = new Migrator({ db: store.db, provider: provider(store), allowUnorderedMigrations: true });
  const run = async () => {
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
  };
  if (!store.pgPool) return run();
  const client = await store.pgPool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await run();
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

/** True when every known migration has been applied (used by /readyz). */
export async function isMigrated(store: Store): Promise<boolean> {
  const migrator = new Migrator({ db: store.db, provider: provider(store), allowUnorderedMigrations: true });
  const migrations = await migrator.getMigrations();
  return migrations.every((m) => m.executedAt !== undefined);
}

import { rmSync } from 'node:fs';
import type { Config } from '../config/load.js';
import { Keyring } from '../crypto/keyring.js';
import { oldestWorkspaceId } from '../workspaces/workspace-queries.js';
import { openStore, type Store } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { masterKeyMismatch } from '../main/master-key-check.js';
import { dialectOf } from '../db/dialect.js';
import { loadOrCreateMasterKey, parseMasterKey } from '../crypto/master-key.js';
import { fail } from './output.js';

/** The master key the data was (or will be) encrypted with; on PostgreSQL it must be configured. `what` names the data, for the message. */
export function masterKeyFor(config: Config, what: string): { key: Buffer; generated?: boolean; file?: string } {
  if (config.masterKey) return { key: parseMasterKey(config.masterKey) };
  if (dialectOf(config.databaseUrl) === 'postgres') {
    fail(`PARLEY_MASTER_KEY is not set. ${what} are encrypted with the master key the servers use: set PARLEY_MASTER_KEY to the same value.`);
  }
  return loadOrCreateMasterKey(undefined, config.dataDir);
}

/** Opens the configured database (migrated), runs `body`, and always closes it. */
export async function withStore<T>(config: Config, body: (store: Store) => Promise<T>): Promise<T> {
  const store = openStore(config.databaseUrl, { poolSize: 2 });
  try {
    await migrate(store);
    return await body(store);
  } finally {
    await store.close();
  }
}

/**
 * Refuses a master key that does not open the database's data keys, as `parley start` does, so that a
 * command never encrypts with the wrong key. A key the command has just generated is removed again.
 */
export async function assertMasterKeyMatches(store: Store, config: Config, master: { key: Buffer; generated?: boolean; file?: string }): Promise<void> {
  if ((await new Keyring(store.db, master.key).checkMasterKey(() => oldestWorkspaceId(store.db))) !== 'mismatch') return;
  if (master.generated && master.file) rmSync(master.file, { force: true });
  throw masterKeyMismatch(config, master.generated === true);
}

import { rmSync } from 'node:fs';
import type { Config } from '../config/load.js';
import { Keyring } from '../crypto/keyring.js';
import { oldestWorkspaceId } from '../workspaces/workspace-queries.js';
import { openStore, type Store } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { masterKeyMismatch } from '../main/master-key-check.js';

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

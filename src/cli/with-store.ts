import type { Config } from '../config/load.js';
import { openStore, type Store } from '../db/database.js';
import { migrate } from '../db/migrate.js';

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

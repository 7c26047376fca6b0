import type { Config } from '../config/load.js';
import { openStore, type Store } from '../db/database.js';
import { Keyring } from '../crypto/keyring.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { systemClock, type Clock } from '../shared/time.js';
import { Authenticator } from '../workspaces/authenticator.js';
import type { ParleyContext } from './context.js';
import { Signals } from './signals.js';

export interface ContextOptions {
  config: Config;
  masterKey: Buffer;
  logger?: Logger;
  clock?: Clock;
  /** An already open store (tests share theirs); by default one is opened from config. */
  store?: Store;
  /** Node's process metrics in this context's registry (default true; a worker thread leaves them to the main thread). */
  defaultMetrics?: boolean;
}

export function createContext(options: ContextOptions): ParleyContext {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const store =
    options.store ??
    openStore(config.databaseUrl, {
      poolSize: config.databasePoolSize,
      backgroundCheckpoints: { onError: (err) => logger.warn({ err }, 'background WAL checkpoint failed; the connection checkpoints by itself') },
    });
  return {
    config,
    store,
    db: store.db,
    keyring: new Keyring(store.db, options.masterKey),
    logger,
    metrics: createMetrics({ defaultMetrics: options.defaultMetrics }),
    clock: options.clock ?? systemClock,
    authenticator: new Authenticator(store.db),
    signals: new Signals(),
  };
}

import type { Config } from '../config/load.js';
import { openStore, type Store } from '../db/database.js';
import { Keyring } from '../crypto/keyring.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { systemClock, type Clock } from '../shared/time.js';
import { Authenticator } from '../access/authenticator.js';
import type { ParleyContext } from '../runtime/context.js';
import { Signals } from '../runtime/signals.js';
import type { WriteTurnstile } from '../db/dialects/write-turnstile.js';
import { createDomainEventBus } from '../domain-events/bus.js';
import { domainEventQueue } from '../webhooks/domain-event-queue.js';
import { DOMAIN_EVENT_SUBSCRIBERS, GATES } from './modules.js';
import { AuditLog } from '../audit/audit-log.js';

export interface ContextOptions {
  config: Config;
  masterKey: Buffer;
  logger?: Logger;
  clock?: Clock;
  /** An already open store (tests share theirs); by default one is opened from config. */
  store?: Store;
  /** Node's process metrics in this context's registry (default true; a worker thread leaves them to the main thread). */
  defaultMetrics?: boolean;
  /**
   * SQLite: this context's store checkpoints the WAL from a background thread (default true). `parley
   * start`'s worker thread says false: the main thread's store already runs one for the same file.
   */
  backgroundCheckpoints?: boolean;
  /** SQLite: the turnstile this process's threads share at the write lock (`parley start`; write-turnstile.ts). */
  writeTurnstile?: WriteTurnstile;
}

export function createContext(options: ContextOptions): ParleyContext {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const store =
    options.store ??
    openStore(config.databaseUrl, {
      poolSize: config.databasePoolSize,
      ...(options.backgroundCheckpoints === false
        ? { checkpointsElsewhere: true }
        : { backgroundCheckpoints: { onError: (err: Error) => logger.warn({ err }, 'background WAL checkpoint failed; the connection checkpoints by itself') } }),
      onConnectionError: connectionErrorLogger(logger),
      writeTurnstile: options.writeTurnstile,
    });
  // A full disk is logged once when writes start failing and once when they succeed again; the
  // requests in between are answered 503 STORAGE_FULL without a log line each.
  store.storage?.listen({
    full: (error, detail) => logger.error({ err: error, file: store.storage!.file, ...detail }, 'database storage is full: writes are refused (503 STORAGE_FULL) until space is freed'),
    recovered: (detail) => logger.warn(detail, 'database storage is writable again'),
  });
  const clock = options.clock ?? systemClock;
  return {
    config,
    store,
    db: store.db,
    keyring: new Keyring(store.db, options.masterKey),
    logger,
    metrics: createMetrics({ defaultMetrics: options.defaultMetrics }),
    clock,
    authenticator: new Authenticator(store.db),
    signals: new Signals(),
    domainEvents: createDomainEventBus(DOMAIN_EVENT_SUBSCRIBERS, domainEventQueue),
    gates: GATES,
    audit: new AuditLog(store, clock),
  };
}

/** Connections dying together (a restart drops them all) are reported once per 5 s, with a count. */
function connectionErrorLogger(logger: Logger): (error: Error) => void {
  let last = 0;
  let suppressed = 0;
  return (error) => {
    const now = Date.now();
    if (now - last < 5_000) {
      suppressed++;
      return;
    }
    logger.warn({ err: error, alsoFailed: suppressed }, 'a database connection failed; it is replaced on next use');
    last = now;
    suppressed = 0;
  };
}

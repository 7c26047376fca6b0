import type { Config } from '../config/load.js';
import type { Db, Store } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Clock } from '../shared/time.js';
import type { Authenticator } from '../access/authenticator.js';
import type { AuditTrail } from '../access/audit-port.js';
import type { Signals } from './signals.js';
import type { AfterCommitHandler, DomainEventBus } from '../domain-events/bus.js';
import type { DomainEventType } from '../domain-events/events.js';
import type { Gate } from '../policy/gate.js';

/**
 * The composition root's product: every long-lived dependency, built once at boot
 * (`main/create-context.ts`) and passed to route modules and workers. Nothing reads globals.
 */
export interface ParleyContext {
  readonly config: Config;
  readonly store: Store;
  readonly db: Db;
  readonly keyring: Keyring;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly authenticator: Authenticator;
  readonly signals: Signals;
  /** The domain event bus, its subscribers those of the modules' manifests (`main/modules.ts`). */
  readonly domainEvents: DomainEventBus<Db, ParleyContext>;
  /** The policy gates every outbound message passes, at accept and at dispatch, in order (`main/modules.ts`). */
  readonly gates: readonly Gate<any, ParleyContext>[];
  /** The audit trail: `record` appends an entry to the workspace's hash chain (group-committed; `audit/`). */
  readonly audit: AuditTrail;
}

/** A module's after-commit reaction to a domain event (declared in its module's manifest). */
export type DomainEventHandler<T extends DomainEventType = DomainEventType> = AfterCommitHandler<ParleyContext, T>;

/** Background work (dispatchers, webhook processors, pollers): started after boot, stopped on shutdown. */
export interface BackgroundWorker {
  readonly name: string;
  start(): void;
  /** Stops taking new work and resolves when in-flight work has finished or been handed back. */
  stop(): Promise<void>;
}

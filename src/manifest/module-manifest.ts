import type { Db } from '../db/database.js';
import type { AfterCommitHandlers, InTransactionSubscriber } from '../domain-events/bus.js';
import type { RouteModule } from '../http/types.js';
import type { Gate } from '../policy/gate.js';
import type { BackgroundWorker, ParleyContext } from '../runtime/context.js';

/**
 * What a module contributes to the process, in one place: the composition root
 * (`main/modules.ts`) lists every module's manifest and assembles the HTTP app, the background
 * workers, the policy gates and the domain-event subscribers from them. A module never registers
 * itself anywhere else, and no module imports another's manifest.
 */
export interface ModuleManifest {
  readonly name: string;
  readonly routes?: readonly RouteModule[];
  /** Background workers, built once per process that runs workers (`parley start`, `parley worker`). */
  readonly workers?: (ctx: ParleyContext) => BackgroundWorker[];
  /**
   * `parley start` with two worker threads: `dispatch` runs this module's workers in the dispatch
   * thread, beside the dispatcher, instead of the processing thread, for bulk work off the
   * conversation path that would delay customers' answers there (the search indexer).
   */
  readonly workerThread?: 'dispatch';
  /** Policy gates, by name; the root puts every gate in its place in `GATE_ORDER`. */
  readonly gates?: readonly Gate<any, ParleyContext>[];
  /** Subscribers that run inside the transaction publishing a domain event. */
  readonly inTransaction?: readonly InTransactionSubscriber<Db>[];
  /** After-commit reactions to domain events, by type. */
  readonly afterCommit?: Partial<AfterCommitHandlers<ParleyContext>>;
}

/**
 * A module's routes, loaded when the HTTP app is built and not before: a process or thread that runs only
 * workers (`parley worker`, the worker thread of `parley start`) never loads route code (schemas,
 * plugins), which keeps its memory down.
 */
export const lazyRoutes = (load: () => Promise<RouteModule>): RouteModule => async (app, ctx) => (await load())(app, ctx);

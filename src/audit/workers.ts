import type { BackgroundWorker, ParleyContext } from '../runtime/context.js';
import { listWorkspaces } from '../workspaces/workspace-queries.js';
import { checkpointKey, writeDueCheckpoints } from './checkpoints.js';
import { purgeAuditEntries } from './retention.js';
import { readAuditRetention } from './retention.js';

/** A pass run on a timer until stopped; a failing pass is logged and the next one runs on time. */
abstract class Periodic implements BackgroundWorker {
  abstract readonly name: string;
  protected readonly ctx: ParleyContext;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(ctx: ParleyContext) {
    this.ctx = ctx;
  }

  protected abstract interval(): number;
  protected abstract firstDelay(): number;
  abstract runOnce(): Promise<unknown>;

  start(): void {
    this.#stopped = false;
    this.#schedule(this.firstDelay());
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  protected get stopped(): boolean {
    return this.#stopped;
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.runOnce()
        .then(() => undefined, (error) => this.ctx.logger.warn({ err: error }, `${this.name}: pass failed; the next one runs on schedule`))
        .finally(() => this.#schedule(this.interval()));
    }, delay);
    this.#timer.unref();
  }
}

/**
 * Every `PARLEY_AUDIT_CHECKPOINT_INTERVAL_MS`, signs a checkpoint of each workspace's chain head that
 * moved since its last checkpoint. A checkpoint is what makes a truncated tail visible, so the
 * interval bounds how many of the newest entries could be cut off unseen.
 */
export class AuditCheckpointWorker extends Periodic {
  readonly name = 'audit-checkpoints';
  protected interval = () => this.ctx.config.auditCheckpointIntervalMs;
  protected firstDelay = () => this.ctx.config.auditCheckpointIntervalMs;

  async runOnce(): Promise<number> {
    return (await writeDueCheckpoints(this.ctx.db, checkpointKey(this.ctx.keyring), this.ctx.clock.now())).length;
  }
}

/**
 * Applies each workspace's audit retention (`settings.audit.retentionDays`) every
 * `PARLEY_RETENTION_INTERVAL_MS`: old entries are purged behind a `start` checkpoint, and the purge is
 * itself recorded in the trail.
 */
export class AuditRetentionWorker extends Periodic {
  readonly name = 'audit-retention';
  static readonly FIRST_RUN_DELAY_MS = 15_000;
  protected interval = () => this.ctx.config.retentionIntervalMs;
  protected firstDelay = () => AuditRetentionWorker.FIRST_RUN_DELAY_MS;

  /** One pass; returns the entries purged per workspace. */
  async runOnce(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    const key = checkpointKey(this.ctx.keyring);
    for (const workspace of await listWorkspaces(this.ctx.db)) {
      if (this.stopped) break;
      const { retentionDays } = readAuditRetention(workspace.settings);
      if (retentionDays === null) continue;
      const result = await purgeAuditEntries(this.ctx.db, key, workspace.id, retentionDays, this.ctx.clock.now());
      if (result.problem) {
        this.ctx.logger.error({ workspaceId: workspace.id, problem: result.problem }, 'audit retention: the chain does not verify, so nothing was purged (run `parley audit verify`)');
        continue;
      }
      if (!result.start) continue;
      out[workspace.id] = result.purged;
      this.ctx.logger.info({ workspaceId: workspace.id, purged: result.purged, start: result.start.seq, retentionDays }, 'audit retention: old entries purged');
      await this.ctx.audit.record({
        workspaceId: workspace.id,
        actor: { type: 'system', id: 'audit-retention' },
        action: 'audit.purged',
        resource: { type: 'audit_trail', id: null },
        diff: { start: { from: result.previousStart, to: result.start.seq }, retentionDays: { to: retentionDays } },
      });
    }
    return out;
  }
}

import type { BackgroundWorker, ParleyContext } from '../runtime/context.js';
import { listWorkspaces } from '../workspaces/workspace-queries.js';
import { readRetentionSettings } from './retention-settings.js';
import { purgeMessageBodies } from './purge-message-bodies.js';

/**
 * Applies each workspace's `retention.messageBodyDays` every `PARLEY_RETENTION_INTERVAL_MS`
 * (first run shortly after start). Several worker processes may run it at once; the purge is
 * idempotent, so that only repeats work.
 */
export class RetentionWorker implements BackgroundWorker {
  readonly name = 'retention';
  readonly #ctx: ParleyContext;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  static readonly FIRST_RUN_DELAY_MS = 10_000;

  constructor(ctx: ParleyContext) {
    this.#ctx = ctx;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(RetentionWorker.FIRST_RUN_DELAY_MS);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  /** One pass over every workspace with a retention policy; returns bodies purged per workspace. */
  async runOnce(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const workspace of await listWorkspaces(this.#ctx.db)) {
      if (this.#stopped) break;
      const { messageBodyDays } = readRetentionSettings(workspace.settings);
      if (messageBodyDays === null) continue;
      try {
        const { purged } = await purgeMessageBodies(this.#ctx.db, workspace.id, messageBodyDays, this.#ctx.clock.now());
        out[workspace.id] = purged;
        if (purged) this.#ctx.logger.info({ workspaceId: workspace.id, purged, messageBodyDays }, 'retention: message bodies purged');
      } catch (error) {
        this.#ctx.logger.error({ err: error, workspaceId: workspace.id }, 'retention: purge failed');
      }
    }
    return out;
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.runOnce().then(
        () => undefined,
        (error) => this.#ctx.logger.error({ err: error }, 'retention: run failed'),
      ).finally(() => this.#schedule(this.#ctx.config.retentionIntervalMs));
    }, delay);
    this.#timer.unref();
  }
}

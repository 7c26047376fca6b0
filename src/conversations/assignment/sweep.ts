import type { BackgroundWorker, ParleyContext } from '../../runtime/context.js';
import { logLoopFailure } from '../../db/unavailable.js';
import { SECOND } from '../../shared/time.js';
import { assignTeams } from './engine.js';
import { teamsWithWaiting } from './queue-queries.js';

/** How often the sweep looks for waiting conversations. */
export const ASSIGNMENT_SWEEP_INTERVAL = 5 * SECOND;

/**
 * The backstop of the assignment engine: every few seconds it serves the queue of every team with a
 * waiting conversation. Triggers (a conversation opened or released, an agent online) normally assign
 * at once; the sweep catches what a crash, a failed trigger or a change made elsewhere (the bot's
 * hand-off, a snooze that ended) left waiting. Several processes may sweep at once: the engine's
 * locks keep capacities.
 */
export class AssignmentSweep implements BackgroundWorker {
  readonly name = 'assignment-sweep';
  readonly #ctx: ParleyContext;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;
  #stopping = false;
  #failures = 0;

  constructor(ctx: ParleyContext) {
    this.#ctx = ctx;
  }

  /** One pass over every team with waiting conversations; how many were assigned. */
  async runOnce(): Promise<number> {
    let assigned = 0;
    const teams = await teamsWithWaiting(this.#ctx.db);
    for (const { workspaceId, teamId } of teams) {
      // A stopping worker leaves the rest to the next process's pass.
      if (this.#stopping) break;
      assigned += (await assignTeams(this.#ctx, workspaceId, [teamId])).length;
    }
    return assigned;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#stopping = false;
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopping = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.runOnce()
        .then(() => {
          this.#failures = 0;
        })
        .catch((error: unknown) => logLoopFailure(this.#ctx.logger.child({ worker: this.name }), error, ++this.#failures, 'assignment sweep'))
        .finally(() => {
          this.#running = undefined;
          this.#schedule();
        });
    }, ASSIGNMENT_SWEEP_INTERVAL);
    this.#timer.unref();
  }
}

import type { ParleyContext } from '../../runtime/context.js';
import { SECOND } from '../../shared/time.js';
import { findTemplateForSend } from '../usability/load-usability.js';
import { reconcileWaba } from './reconcile.js';

/** At most one re-sync of a WABA's templates per this interval and process, however many sends miss. */
export const RESYNC_ON_MISS_INTERVAL = 30 * SECOND;

interface LastSync {
  at: number;
  ok: boolean;
  running?: Promise<boolean>;
}

const lastSyncs = new WeakMap<ParleyContext, Map<string, LastSync>>();

/**
 * Re-reads one WABA's templates from the provider (`reconcileWaba`), bounded: concurrent misses share
 * one call, and within `RESYNC_ON_MISS_INTERVAL` of the last one the result of that one stands.
 * Returns whether the catalogue is fresh (the last re-sync succeeded).
 */
async function resyncBounded(ctx: ParleyContext, workspaceId: string, wabaId: string): Promise<boolean> {
  let byWaba = lastSyncs.get(ctx);
  if (!byWaba) lastSyncs.set(ctx, (byWaba = new Map()));
  const key = `${workspaceId}\u0000${wabaId}`;
  const last = byWaba.get(key);
  if (last?.running) return last.running;
  if (last && ctx.clock.now() - last.at < RESYNC_ON_MISS_INTERVAL) return last.ok;
  const entry: LastSync = { at: ctx.clock.now(), ok: false };
  entry.running = reconcileWaba(ctx, workspaceId, wabaId).then(
    () => true,
    (error: unknown) => {
      ctx.logger.warn({ err: error, workspaceId, wabaId }, 'template re-sync after a catalogue miss failed');
      return false;
    },
  );
  byWaba.set(key, entry);
  entry.ok = await entry.running;
  entry.at = ctx.clock.now();
  delete entry.running;
  return entry.ok;
}

/**
 * Does the WABA's catalogue have template `name` in `language`? Parley's copy first; on a miss the
 * templates are re-read from the provider (bounded, see above) and looked up again. `unknown` when the
 * provider could not be read, so the caller cannot tell.
 */
export async function templateInCatalogue(ctx: ParleyContext, ref: { workspaceId: string; wabaId: string; name: string; language: string }): Promise<'found' | 'missing' | 'unknown'> {
  if (await findTemplateForSend(ctx, ref)) return 'found';
  const fresh = await resyncBounded(ctx, ref.workspaceId, ref.wabaId);
  if (await findTemplateForSend(ctx, ref)) return 'found';
  return fresh ? 'missing' : 'unknown';
}

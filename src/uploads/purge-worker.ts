import type { BackgroundWorker, ParleyContext } from '../runtime/context.js';
import { intervalWorker } from '../runtime/interval-worker.js';
import { HOUR } from '../shared/time.js';
import { purgeUnusedUploads } from './upload-store.js';

/** One pass: purges the uploads no message named within 24 hours of their upload, in batches until none is left; returns how many. */
export async function purgeUnusedUploadsPass(ctx: ParleyContext): Promise<number> {
  let total = 0;
  for (;;) {
    const purged = await purgeUnusedUploads(ctx.db, ctx.clock.now());
    if (purged === 0) break;
    total += purged;
  }
  if (total) ctx.logger.info({ purged: total }, 'uploads: unused uploads purged');
  return total;
}

/**
 * The pass once an hour. Several worker processes may run it at once: each delete is guarded by
 * `used_at is null`, so a pass only repeats work.
 */
export const uploadPurgeWorker = (ctx: ParleyContext): BackgroundWorker => intervalWorker('upload-purge', HOUR, ctx.logger, () => purgeUnusedUploadsPass(ctx));

import { randomUUID } from 'node:crypto';
import { SECOND } from '../shared/time.js';
import type { BackgroundWorker, ParleyContext } from '../runtime/context.js';
import { intervalWorker } from '../runtime/interval-worker.js';
import { listWorkspaces } from '../workspaces/workspace-queries.js';
import { indexWorkspace } from './indexer.js';
import type { SearchSources } from './sources.js';

/** How often the indexer looks for new messages and changed contacts. */
export const INDEX_INTERVAL_MS = 1 * SECOND;

/**
 * The search indexer (`indexer.ts`), off the hot paths: a pass over every workspace every
 * `INDEX_INTERVAL_MS`, in every process that runs workers. Each workspace's sources are walked under
 * a lease (`watermark-lease.ts`), so several processes on PostgreSQL share the work without walking
 * the same rows twice; the unique keys absorb what a lost lease repeats.
 */
export function searchIndexWorker(ctx: ParleyContext, sources: SearchSources): BackgroundWorker {
  const owner = `search:${randomUUID()}`;
  return intervalWorker('search-indexer', INDEX_INTERVAL_MS, ctx.logger, async () => {
    for (const workspace of await listWorkspaces(ctx.db)) {
      await indexWorkspace(ctx.db, ctx.keyring, sources, workspace.id, { owner, now: ctx.clock.now() });
    }
  });
}

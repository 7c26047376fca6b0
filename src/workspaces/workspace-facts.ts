import type { ParleyContext } from '../runtime/context.js';
import { factCache } from '../runtime/fact-caches.js';
import { getWorkspace, type Workspace } from './workspace-queries.js';

/**
 * The workspace (its settings) as a hot path reads it, once per customer message: at most once per
 * FACTS_TTL_MS per process, and at once after an API write (`fact-caches.ts`).
 */
export function cachedWorkspace(ctx: ParleyContext, workspaceId: string): Promise<Workspace | undefined> {
  return factCache<Workspace>(ctx, 'workspace').get(workspaceId, () => getWorkspace(ctx.db, workspaceId));
}

import type { ParleyContext } from '../runtime/context.js';
import { countWorkspaces, createWorkspace } from '../workspaces/workspace-queries.js';
import { createApiKey } from '../access/api-key-queries.js';

export interface BootstrapResult {
  workspaceId: string;
  /** The admin key, in full. Present only on the run that created it. */
  adminApiKey: string;
}

/**
 * First start on an empty database: a demo workspace and an admin key (printed once, stored as a
 * hash). Later starts find a workspace and do nothing. Modules add demo data through `seeders`.
 */
export async function bootstrapIfEmpty(
  ctx: ParleyContext,
  seeders: Array<(ctx: ParleyContext, workspaceId: string) => Promise<void>> = [],
): Promise<BootstrapResult | undefined> {
  if ((await countWorkspaces(ctx.db)) > 0) return undefined;
  const workspace = await createWorkspace(ctx.db, { name: 'Demo' });
  const { key } = await createApiKey(ctx.db, { workspaceId: workspace.id, name: 'admin (created at first start)', scopes: ['admin'] });
  for (const seed of seeders) await seed(ctx, workspace.id);
  return { workspaceId: workspace.id, adminApiKey: key };
}

import type { ParleyContext } from '../runtime/context.js';
import { countWorkspaces, createWorkspace } from '../workspaces/workspace-queries.js';
import { createApiKey } from '../access/api-key-queries.js';
import { createUserWithPassword } from '../access/users/invite.js';
import { generatedPassword } from '../access/users/password-rules.js';

/** The demo admin's address: a reserved domain, so that nothing is ever mailed to a real person. */
export const DEMO_ADMIN_EMAIL = 'admin@example.com';

export interface BootstrapResult {
  workspaceId: string;
  /** The admin key, in full. Present only on the run that created it. */
  adminApiKey: string;
  /** The demo admin who signs in to the console, with their password (in full, only on this run; stored hashed). */
  admin: { email: string; password: string };
}

/**
 * First start on an empty database: a demo workspace, an admin key and a demo admin who signs in to
 * the console (key and password printed once, stored as hashes). Later starts find a workspace and do nothing. Modules add demo data through `seeders`.
 */
export async function bootstrapIfEmpty(
  ctx: ParleyContext,
  seeders: Array<(ctx: ParleyContext, workspaceId: string) => Promise<void>> = [],
): Promise<BootstrapResult | undefined> {
  if ((await countWorkspaces(ctx.db)) > 0) return undefined;
  const workspace = await createWorkspace(ctx.db, { name: 'Demo' });
  const { key } = await createApiKey(ctx.db, { workspaceId: workspace.id, name: 'admin (created at first start)', scopes: ['admin'] });
  const password = generatedPassword();
  await createUserWithPassword(ctx.db, ctx.keyring, { workspaceId: workspace.id, email: DEMO_ADMIN_EMAIL, name: 'Demo admin', role: 'admin', password });
  for (const seed of seeders) await seed(ctx, workspace.id);
  return { workspaceId: workspace.id, adminApiKey: key, admin: { email: DEMO_ADMIN_EMAIL, password } };
}

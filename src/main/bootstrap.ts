import type { ParleyContext } from '../runtime/context.js';
import { countWorkspaces, createWorkspace } from '../workspaces/workspace-queries.js';
import { createApiKey } from '../access/api-key-queries.js';
import { createUserWithPassword } from '../access/users/invite.js';
import { generatedPassword } from '../access/users/password-rules.js';
import { auditDiff } from '../access/audit-port.js';
import type { Actor } from '../access/actor.js';

/** Who made the demo workspace and its admin: Parley itself, at first start. */
const BOOTSTRAP_ACTOR: Actor = { type: 'system', id: 'bootstrap' };

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
  const workspaceResource = { type: 'workspace', id: workspace.id };
  await ctx.audit.record({ workspaceId: workspace.id, actor: BOOTSTRAP_ACTOR, action: 'workspace.created', resource: workspaceResource, diff: auditDiff(workspaceResource, undefined, { name: workspace.name, region: workspace.region }) });
  const { key, info } = await createApiKey(ctx.db, { workspaceId: workspace.id, name: 'admin (created at first start)', scopes: ['admin'] });
  const keyResource = { type: 'api_key', id: info.id };
  await ctx.audit.record({ workspaceId: workspace.id, actor: BOOTSTRAP_ACTOR, action: 'api_key.created', resource: keyResource, diff: auditDiff(keyResource, undefined, { name: info.name, scopes: info.scopes, key: true }, ['key']) });
  const password = generatedPassword();
  const admin = await createUserWithPassword(ctx.db, ctx.keyring, { workspaceId: workspace.id, email: DEMO_ADMIN_EMAIL, name: 'Demo admin', role: 'admin', password });
  const userResource = { type: 'user', id: admin.id };
  await ctx.audit.record({ workspaceId: workspace.id, actor: BOOTSTRAP_ACTOR, action: 'user.created', resource: userResource, diff: auditDiff(userResource, undefined, { email: true, name: true, role: admin.role, status: admin.status, password: true }, ['email', 'name', 'password']) });
  for (const seed of seeders) await seed(ctx, workspace.id);
  return { workspaceId: workspace.id, adminApiKey: key, admin: { email: DEMO_ADMIN_EMAIL, password } };
}

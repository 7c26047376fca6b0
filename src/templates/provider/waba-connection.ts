import { ParleyError } from '../../errors/parley-error.js';
import type { ParleyContext } from '../../runtime/context.js';
import { DEFAULT_GRAPH_VERSION, type GraphConnection } from '../../providers/whatsapp-cloud/templates/graph-connection.js';
import { isRecord } from '../template-shape.js';

/**
 * The Graph connection for a workspace's WABA: the oldest active Cloud API sender of that WABA, with its
 * decrypted access token. Template management is per WABA, so any of its senders' tokens will do.
 */
export async function connectionForWaba(ctx: ParleyContext, workspaceId: string, wabaId: string): Promise<GraphConnection> {
  const sender = await ctx.db
    .selectFrom('senders')
    .select(['base_url', 'graph_version', 'credentials'])
    .where('workspace_id', '=', workspaceId)
    .where('waba_id', '=', wabaId)
    .where('provider', '=', 'cloud')
    .where('status', '=', 'active')
    .orderBy('created_at')
    .executeTakeFirst();
  if (!sender) throw new ParleyError('TEMPLATE_NO_SENDER_FOR_WABA', { details: { wabaId } });
  const credentials: unknown = JSON.parse(await ctx.keyring.decrypt(workspaceId, sender.credentials));
  const accessToken = isRecord(credentials) && typeof credentials.accessToken === 'string' ? credentials.accessToken : undefined;
  if (!accessToken) throw new ParleyError('TEMPLATE_NO_SENDER_FOR_WABA', { message: 'The Cloud API sender of this WABA has no access token.', details: { wabaId } });
  return { baseUrl: sender.base_url, graphVersion: sender.graph_version ?? DEFAULT_GRAPH_VERSION, wabaId, accessToken };
}

/** Workspace × WABA pairs that have Cloud API senders and templates: what the reconciliation poll visits. */
export async function wabasToReconcile(ctx: ParleyContext): Promise<Array<{ workspaceId: string; wabaId: string }>> {
  const rows = await ctx.db
    .selectFrom('senders')
    .select(['workspace_id', 'waba_id'])
    .where('provider', '=', 'cloud')
    .where('status', '=', 'active')
    .where('waba_id', 'is not', null)
    .groupBy(['workspace_id', 'waba_id'])
    .execute();
  return rows.map((r) => ({ workspaceId: r.workspace_id, wabaId: r.waba_id! }));
}

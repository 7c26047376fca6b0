import { providersWith } from '../../channels/capabilities.js';
import { ParleyError } from '../../errors/parley-error.js';
import type { ParleyContext } from '../../runtime/context.js';
import type { GraphConnection } from '../../channels/whatsapp-cloud/templates/graph-connection.js';
import { senderSettingsFields } from '../../channels/sender-identity.js';
import { senderCredentials, toSender } from '../../senders/sender-queries.js';

/**
 * The Graph connection for a workspace's WABA: the oldest active Cloud API sender of that WABA, with its
 * access token. Template management is per WABA, so any of its senders' tokens will do; a sender that
 * names no Graph version uses PARLEY_GRAPH_VERSION.
 */
export async function connectionForWaba(ctx: ParleyContext, workspaceId: string, wabaId: string): Promise<GraphConnection> {
  const row = await ctx.db
    .selectFrom('senders')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('waba_id', '=', wabaId)
    .where('provider', 'in', providersWith((c) => c.providerTemplates))
    .where('status', '=', 'active')
    .orderBy('created_at')
    .executeTakeFirst();
  if (!row) throw new ParleyError('TEMPLATE_NO_SENDER_FOR_WABA', { details: { wabaId } });
  const sender = toSender(row);
  const { accessToken } = await senderCredentials(ctx.db, ctx.keyring, sender);
  if (!accessToken) throw new ParleyError('TEMPLATE_NO_SENDER_FOR_WABA', { message: 'The Cloud API sender of this WABA has no access token.', details: { wabaId, senderId: sender.id } });
  return { baseUrl: sender.baseUrl, graphVersion: senderSettingsFields(sender).graphVersion ?? ctx.config.graphVersion, wabaId, accessToken };
}

/** Workspace × WABA pairs that have active Cloud API senders: what the reconciliation poll visits. */
export async function wabasToReconcile(ctx: ParleyContext): Promise<Array<{ workspaceId: string; wabaId: string }>> {
  const rows = await ctx.db
    .selectFrom('senders')
    .select(['workspace_id', 'waba_id'])
    .where('provider', 'in', providersWith((c) => c.providerTemplates))
    .where('status', '=', 'active')
    .where('waba_id', 'is not', null)
    .groupBy(['workspace_id', 'waba_id'])
    .execute();
  return rows.map((r) => ({ workspaceId: r.workspace_id, wabaId: r.waba_id! }));
}

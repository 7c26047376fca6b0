import { providersWith } from '../../channels/capabilities.js';
import { ParleyError } from '../../errors/parley-error.js';
import type { ParleyContext } from '../../runtime/context.js';
import type { TemplateAccount } from '../../channels/port.js';
import { HttpPools } from '../../channels/http-pools.js';
import { createChannelRegistry, type ChannelRegistry } from '../../channels/registry.js';
import { activeWabas, oldestActiveSenderOfWaba, senderCredentials } from '../../senders/sender-queries.js';

const registries = new WeakMap<ParleyContext, ChannelRegistry>();

/** The channel adapters template management asks (their template calls open no keep-alive pool). */
function channelsOf(ctx: ParleyContext): ChannelRegistry {
  let channels = registries.get(ctx);
  if (!channels) {
    channels = createChannelRegistry(new HttpPools(1), ctx.config);
    registries.set(ctx, channels);
  }
  return channels;
}

/**
 * The provider's template account for a workspace's WABA, through the oldest active sender of that
 * WABA whose provider keeps templates, with its credentials (`ChannelAdapter.templates`). Template
 * management is per WABA, so any of its senders will do.
 */
export async function connectionForWaba(ctx: ParleyContext, workspaceId: string, wabaId: string): Promise<TemplateAccount> {
  const sender = await oldestActiveSenderOfWaba(ctx.db, workspaceId, wabaId, providersWith((c) => c.providerTemplates));
  if (!sender) throw new ParleyError('TEMPLATE_NO_SENDER_FOR_WABA', { details: { wabaId } });
  const templates = channelsOf(ctx).forSender(sender).templates;
  if (!templates) throw new Error(`The ${sender.provider} adapter keeps templates but cannot manage them.`);
  return templates.account(sender, await senderCredentials(ctx.db, ctx.keyring, sender), wabaId);
}

/** Workspace × WABA pairs that have active senders whose provider keeps templates: what the reconciliation poll visits. */
export async function wabasToReconcile(ctx: ParleyContext): Promise<Array<{ workspaceId: string; wabaId: string }>> {
  return activeWabas(ctx.db, providersWith((c) => c.providerTemplates));
}

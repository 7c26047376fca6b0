import type { ParleyContext } from '../../runtime/context.js';
import { ParleyError } from '../../errors/parley-error.js';
import type { ChannelAdapter } from '../../channels/port.js';
import { openProviderId } from '../../messages/provider-ids.js';
import { sealedInboundProviderIdOf } from '../../messages/message-lookups.js';
import { senderCredentials, type Sender } from '../../senders/sender-queries.js';

/**
 * The provider's id of an inbound message of this sender. Business systems know inbound messages by
 * Parley's id (`message.inbound` events); clients written for Meta pass the wamid, which is used as is.
 */
async function providerIdOf(ctx: ParleyContext, sender: Sender, messageId: string): Promise<string> {
  if (!messageId.startsWith('msg_')) return messageId;
  const row = await sealedInboundProviderIdOf(ctx.db, { workspaceId: sender.workspaceId, senderId: sender.id, id: messageId });
  const providerMessageId = row ? await openProviderId(ctx.keyring, sender.workspaceId, row.provider_id_sealed) : null;
  if (!providerMessageId) throw new ParleyError('MESSAGE_NOT_FOUND', { message: `Message ${messageId} is not a message this sender received.`, field: '/message_id' });
  return providerMessageId;
}

/**
 * A read receipt through the gateway: `{messaging_product, status: "read", message_id, typing_indicator?}`
 * is checked like Meta checks it and passed to the sender's provider (`ChannelAdapter.markRead`); the provider's answer is relayed
 * (`{"success": true}`, or its error envelope, e.g. 131009 for a message it does not know).
 */
export async function markRead(ctx: ParleyContext, adapter: ChannelAdapter, sender: Sender, body: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
  if (body.status !== 'read') throw new ParleyError('REQUEST_INVALID', { message: 'Invalid field /status: the only status a business may set is "read".', field: '/status' });
  if (body.message_id === undefined) throw new ParleyError('REQUEST_INVALID', { message: 'body/message_id is required.', field: '/message_id' });
  if (typeof body.message_id !== 'string' || body.message_id.length === 0 || body.message_id.length > 256) throw new ParleyError('CONTENT_INVALID', { message: 'message_id must be the id of a message this number received.', field: '/message_id' });
  const indicator = body.typing_indicator as { type?: unknown } | undefined;
  if (indicator !== undefined && (typeof indicator !== 'object' || indicator === null || indicator.type !== 'text')) {
    throw new ParleyError('REQUEST_INVALID', { message: 'Invalid field /typing_indicator/type: must be "text".', field: '/typing_indicator/type' });
  }
  const providerMessageId = await providerIdOf(ctx, sender, body.message_id);
  if (!adapter.markRead) throw new ParleyError('GATEWAY_PROVIDER_UNAVAILABLE', { message: `The sender's provider takes no read receipts.` });
  const credentials = await senderCredentials(ctx.db, ctx.keyring, sender);
  const outcome = await adapter.markRead(sender, credentials, { providerMessageId, ...(indicator ? { typingIndicator: { type: 'text' as const } } : {}) });
  if (outcome.kind === 'unreachable') throw new ParleyError('GATEWAY_PROVIDER_UNAVAILABLE', { message: `The read receipt could not be passed to the provider: ${outcome.reason}.` });
  const answer = outcome.body as { success?: unknown; error?: { code?: unknown } } | null;
  if (outcome.status >= 200 && outcome.status < 300 && answer?.success === true) return { status: 200, body: { success: true } };
  const code = typeof answer?.error === 'object' && answer.error !== null ? answer.error.code : undefined;
  // The provider refusing the sender's token is Parley's problem, not the caller's key: not relayed as 190.
  if (typeof code === 'number' && code !== 190 && code !== 0 && code !== 10) return { status: outcome.status >= 400 ? outcome.status : 400, body: answer };
  if (typeof code === 'number') throw new ParleyError('GATEWAY_PROVIDER_UNAVAILABLE', { message: `The provider refused the sender's credentials (${code}); update them with PATCH /v1/senders/${sender.id}.` });
  throw new ParleyError('GATEWAY_PROVIDER_UNAVAILABLE', { message: `The provider answered the read receipt with HTTP ${outcome.status} and no Graph answer.` });
}

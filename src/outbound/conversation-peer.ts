import type { ConversationPeers } from '../conversations/ports.js';
import { capabilitiesOf } from '../channels/capabilities.js';
import { getContact } from '../contacts/contact.js';
import { getSender } from '../senders/sender-queries.js';

/**
 * The conversations module's `peer` port, implemented here because the outbound module already
 * depends on senders, channels and contacts (the conversations module cannot: they depend on it):
 * whether the sender's channel is bound by the service window, and the contact's language and name.
 */
export const conversationPeer: ConversationPeers = async (ctx, input) => {
  const sender = await getSender(ctx.db, input.senderId, input.workspaceId);
  const contact = await getContact(ctx.db, ctx.keyring, input.workspaceId, input.contactId);
  if (!sender || !contact) return undefined;
  return { boundByWindow: capabilitiesOf(sender.provider).serviceWindow, contactLanguage: contact.language ?? null, contactName: contact.name ?? null };
};

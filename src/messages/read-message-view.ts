import type { ParleyContext } from '../runtime/context.js';
import { findMessage } from './read-message.js';
import { presentMessage, type MessageView } from './message-view.js';
import { requirePermission } from '../access/authorize.js';
import type { Permission } from '../access/permissions.js';
import { holds, type Principal } from '../access/principal.js';

/**
 * The permission to read message content (bodies, template parameters, media references): a key
 * holds it with `messages:read`, as before; an analyst reads messages without it. Every route that
 * returns content checks it here.
 */
export const CONTENT_PERMISSION: Permission = 'messages.read_content';

export function requireContentAccess(principal: Principal): void {
  requirePermission(principal, CONTENT_PERMISSION);
}

export const readsContent = (principal: Principal): boolean => holds(principal, CONTENT_PERMISSION);

/** One message with its decrypted content (unless `content: false`) and its whole history, or undefined. */
export async function readMessage(ctx: ParleyContext, workspaceId: string, id: string, options: { content?: boolean } = {}): Promise<MessageView | undefined> {
  const found = await findMessage(ctx.db, ctx.keyring, workspaceId, id, options);
  return found && presentMessage(found.row, found.providerMessageId, found.content, found.history);
}

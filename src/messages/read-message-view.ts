import type { ParleyContext } from '../runtime/context.js';
import { findMessage } from './read-message.js';
import { presentMessage, type MessageView } from './message-view.js';
import { Authenticator, type AuthContext } from '../access/authenticator.js';
import type { Scope } from '../access/scopes.js';

/**
 * The scope that lets a key read message content (bodies, template parameters, media references):
 * the one GET /v1/messages/{id} needs, so listing with content shows a key nothing it could not read
 * one message at a time. Every route that returns content checks it here.
 */
export const CONTENT_SCOPE: Scope = 'messages:read';

export function requireContentAccess(auth: AuthContext): void {
  Authenticator.require(auth, CONTENT_SCOPE);
}

/** One message with its decrypted content (unless `content: false`) and its whole history, or undefined. */
export async function readMessage(ctx: ParleyContext, workspaceId: string, id: string, options: { content?: boolean } = {}): Promise<MessageView | undefined> {
  const found = await findMessage(ctx.db, ctx.keyring, workspaceId, id, options);
  return found && presentMessage(found.row, found.providerMessageId, found.content, found.history);
}

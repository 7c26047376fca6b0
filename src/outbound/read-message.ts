import type { ParleyContext } from '../runtime/context.js';
import { listMessageEvents } from '../messages/message-events.js';
import { presentMessage, type MessageView } from './message-view.js';
import { openProviderId } from '../messages/provider-ids.js';
import { Authenticator, type AuthContext } from '../workspaces/authenticator.js';
import type { Scope } from '../workspaces/scopes.js';

/**
 * The scope that lets a key read message content (bodies, template parameters, media references):
 * the one GET /v1/messages/{id} needs, so listing with content shows a key nothing it could not read
 * one message at a time. Every route that returns content checks it here.
 */
export const CONTENT_SCOPE: Scope = 'messages:read';

export function requireContentAccess(auth: AuthContext): void {
  Authenticator.require(auth, CONTENT_SCOPE);
}

/** A message's stored content, decrypted (null when it has none, e.g. after erasure). */
export async function decryptContent(ctx: ParleyContext, workspaceId: string, cipher: string | null): Promise<Record<string, unknown> | null> {
  return cipher ? (JSON.parse(await ctx.keyring.decrypt(workspaceId, cipher)) as Record<string, unknown>) : null;
}

/** One message with its decrypted content (unless `content: false`) and its whole history, or undefined. */
export async function readMessage(ctx: ParleyContext, workspaceId: string, id: string, options: { content?: boolean } = {}): Promise<MessageView | undefined> {
  const row = await ctx.db.selectFrom('messages').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const content = options.content === false ? null : await decryptContent(ctx, workspaceId, row.content);
  // The accept event stores the answer given at accept; in the history it reads as the accept-time decision.
  const history = (await listMessageEvents(ctx.db, id)).map((e) =>
    e.kind === 'accept' ? { ...e, kind: 'decision', status: null, detail: { stage: 'accept', gates: (e.detail as { decisions?: unknown }).decisions ?? [] } } : e,
  );
  return presentMessage(row, await openProviderId(ctx.keyring, workspaceId, row.provider_id_sealed), content, history);
}

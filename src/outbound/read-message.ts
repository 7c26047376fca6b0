import type { ParleyContext } from '../runtime/context.js';
import { listMessageEvents } from '../messages/message-events.js';
import { presentMessage, type MessageView } from './message-view.js';
import { openProviderId } from '../messages/provider-ids.js';

/** One message with its decrypted content and its whole history, or undefined. */
export async function readMessage(ctx: ParleyContext, workspaceId: string, id: string): Promise<MessageView | undefined> {
  const row = await ctx.db.selectFrom('messages').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const content = row.content ? (JSON.parse(await ctx.keyring.decrypt(workspaceId, row.content)) as Record<string, unknown>) : null;
  // The accept event stores the answer given at accept; in the history it reads as the accept-time decision.
  const history = (await listMessageEvents(ctx.db, id)).map((e) =>
    e.kind === 'accept' ? { ...e, kind: 'decision', status: null, detail: { stage: 'accept', gates: (e.detail as { decisions?: unknown }).decisions ?? [] } } : e,
  );
  return presentMessage(row, await openProviderId(ctx.keyring, workspaceId, row.provider_id_sealed), content, history);
}

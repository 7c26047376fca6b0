import type { ParleyContext } from '../runtime/context.js';
import { listMessageEvents } from '../messages/message-events.js';
import { presentMessage, type MessageView } from './message-view.js';

/** One message with its decrypted content and its whole history, or undefined. */
export async function readMessage(ctx: ParleyContext, workspaceId: string, id: string): Promise<MessageView | undefined> {
  const row = await ctx.db.selectFrom('messages').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const content = row.content ? (JSON.parse(await ctx.keyring.decrypt(workspaceId, row.content)) as Record<string, unknown>) : null;
  const history = (await listMessageEvents(ctx.db, id)).filter((e) => e.kind !== 'accept');
  return presentMessage(row, content, history);
}

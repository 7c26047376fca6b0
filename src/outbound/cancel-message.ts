import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { cancelWaiting } from '../messages/transitions.js';
import { appendMessageEvents } from '../messages/message-events.js';

/** Cancels a message that has not left Parley yet (queued or scheduled); conditional, so it never races a dispatch. */
export async function cancelMessage(ctx: ParleyContext, workspaceId: string, id: string): Promise<void> {
  const now = ctx.clock.now();
  if (!(await cancelWaiting(ctx.db, workspaceId, id, now))) {
    const row = await ctx.db.selectFrom('messages').select('status').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new ParleyError('MESSAGE_NOT_FOUND');
    throw new ParleyError('MESSAGE_NOT_CANCELLABLE', { details: { status: row.status } });
  }
  await appendMessageEvents(ctx.db, [{ messageId: id, kind: 'status', status: 'cancelled', at: now, detail: { by: 'api' } }]);
}

import type { Db } from '../db/database.js';
import { ParleyError } from '../errors/parley-error.js';
import { cancelWaiting } from './transitions.js';
import { appendMessageEvents } from './message-events.js';

/** Cancels a message that has not left Parley yet (queued or scheduled); conditional, so it never races a dispatch. */
export async function cancelMessage(db: Db, workspaceId: string, id: string, now: number): Promise<void> {
  if (!(await cancelWaiting(db, workspaceId, id, now))) {
    const row = await db.selectFrom('messages').select('status').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new ParleyError('MESSAGE_NOT_FOUND');
    throw new ParleyError('MESSAGE_NOT_CANCELLABLE', { details: { status: row.status } });
  }
  await appendMessageEvents(db, [{ messageId: id, kind: 'status', status: 'cancelled', at: now, detail: { by: 'api' } }]);
}

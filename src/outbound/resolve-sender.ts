import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { toSender, type Sender } from '../senders/sender-queries.js';
import { acceptFacts } from './accept-facts.js';

/**
 * The sender named by `from`, or the workspace's first active sender. The row is reused for up to
 * ACCEPT_FACTS_TTL_MS (`accept-facts.ts`); dispatch reads the sender afresh.
 */
export async function resolveSender(ctx: ParleyContext, workspaceId: string, from: string | undefined): Promise<Sender> {
  const row = await acceptFacts(ctx).senders.get(`${workspaceId}\u0000${from ?? ''}`, () => {
    let query = ctx.db.selectFrom('senders').selectAll().where('workspace_id', '=', workspaceId);
    query = from ? query.where('id', '=', from) : query.where('status', '=', 'active').orderBy('created_at').limit(1);
    return query.executeTakeFirst();
  });
  if (!row) {
    throw from ? new ParleyError('SENDER_NOT_FOUND', { field: '/from' }) : new ParleyError('SENDER_UNAVAILABLE', { message: 'This workspace has no active sender number.' });
  }
  if (row.status !== 'active') throw new ParleyError('SENDER_UNAVAILABLE', { message: `Sender ${row.id} is disabled.`, field: '/from' });
  return toSender(row);
}

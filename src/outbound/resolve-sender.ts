import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { findSenderToSendFrom, type Sender } from '../senders/sender-queries.js';
import { factCache } from '../runtime/fact-caches.js';

/**
 * The sender named by `from`, or the workspace's first active sender. It is reused for up to
 * FACTS_TTL_MS (`runtime/fact-caches.ts`); dispatch reads the sender afresh.
 */
export async function resolveSender(ctx: ParleyContext, workspaceId: string, from: string | undefined): Promise<Sender> {
  const sender = await factCache<Sender>(ctx, 'senders').get(`${workspaceId}\u0000${from ?? ''}`, () => findSenderToSendFrom(ctx.db, workspaceId, from));
  if (!sender) {
    throw from ? new ParleyError('SENDER_NOT_FOUND', { field: '/from' }) : new ParleyError('SENDER_UNAVAILABLE', { message: 'This workspace has no active sender number.' });
  }
  if (sender.status !== 'active') throw new ParleyError('SENDER_UNAVAILABLE', { message: `Sender ${sender.id} is disabled.`, field: '/from' });
  return sender;
}

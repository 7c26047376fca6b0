import type { ParleyContext } from '../../runtime/context.js';
import { providerIdHash } from '../../messages/provider-ids.js';
import { addDeadLetters } from '../../messages/dead-letters.js';
import { messageAttempts } from '../../messages/read-message.js';
import { emitQueued } from '../domain-event-queue.js';
import type { StatusItem } from '../../channels/webhook-items.js';
import { applyMatchedStatuses, type MatchedStatus } from './apply-statuses.js';
import { matchStatusMessages } from './match-status-messages.js';
import { ApplyResults, type WorkItem } from './work.js';

/**
 * Applies statuses Parley read from a provider itself (UltraMsg's message list: states no webhook
 * reports) exactly as webhook statuses are applied: matched by the provider id's keyed hash or Parley's
 * echoed id within the sender's workspace, deduplicated by receipt, moving messages only forward, with
 * history events and domain events (`message.status`, whose event webhooks subscribe). A status that ends a message
 * unsent (`failed` or `expired`) also lists it as a dead letter. Statuses matching no message are
 * dropped (the next read finds them again). Returns the number of messages whose status changed.
 */
export async function applyPolledStatuses(ctx: ParleyContext, workspaceId: string, items: StatusItem[]): Promise<number> {
  if (!items.length) return 0;
  const preps = await matchStatusMessages(
    ctx.db,
    ctx.keyring,
    items.map((item) => ({ item, workspaceId, hashes: [item.providerMessageId, ...(item.altProviderMessageIds ?? [])].map((id) => providerIdHash(ctx.keyring, id)) })),
  );
  const matched: MatchedStatus[] = [];
  items.forEach((item, i) => {
    const prep = preps[i];
    if (!prep.message) return;
    const listed: StatusItem = { ...item, source: 'list' };
    const work: WorkItem = { rowSeq: 0, item: listed, key: `list:${item.providerStatus}` };
    matched.push({ work, item: listed, message: prep.message, setProviderId: prep.setProviderId });
  });
  if (!matched.length) return 0;
  const now = ctx.clock.now();
  const { results, queued } = await ctx.db.transaction().execute(async (trx) => {
    const results = new ApplyResults();
    await applyMatchedStatuses(trx, matched, results, now);
    const ended = matched.filter((s) => results.results.get(s.work)?.result === 'applied' && (s.item.status === 'failed' || s.item.status === 'expired'));
    if (ended.length) {
      const attemptsOf = await messageAttempts(trx, ended.map((s) => s.message.id));
      await addDeadLetters(
        trx,
        ended.map((s) => ({ messageId: s.message.id, workspaceId: s.message.workspaceId, reason: s.item.errors[0]?.title ?? `The provider reported ${s.item.providerStatus}.`, errorCode: s.item.errors[0]?.code ?? s.item.providerStatus, attempts: attemptsOf.get(s.message.id) ?? 0, at: now })),
      );
    }
    return { results, queued: await ctx.domainEvents.publish(trx, results.domainEvents, now) };
  });
  await emitQueued(ctx, queued);
  return [...results.results.values()].filter((r) => r.result === 'applied').length;
}

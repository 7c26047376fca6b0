import type { ParleyContext } from '../../runtime/context.js';
import type { Sender } from '../../senders/sender-queries.js';
import type { ListedReceipt } from '../../channels/port.js';
import { emitQueued } from '../domain-event-queue.js';
import type { StatusItem } from '../../channels/webhook-items.js';
import { applyPendingStatuses } from '../pending-statuses.js';
import { applyMatchedStatuses } from '../process/apply-statuses.js';
import { matchStatusMessages } from '../process/match-status-messages.js';
import { storeAltIds } from '../../messages/provider-id-queries.js';
import { ApplyResults, type StatusPrep } from '../process/work.js';
import { webhookServicesFor } from '../services.js';
import type { ReceiptCheckPolicy } from './receipt-check-policy.js';
import { recordReceiptCheck, type ReceiptCandidate } from './receipt-checks.js';

/** What one look at a send found. */
export type ReceiptCheckResult = 'applied' | 'learnt' | 'unchanged' | 'not_listed' | 'error';

/**
 * Applies what the message list says of one send: its WhatsApp id, stored as the message's second id
 * when it has none, after which the statuses held under it (acks that named only `data.id` before
 * Parley knew it) are applied; then its ack, in one transaction with the record of the look, through
 * the same path as a webhook's status (so it only moves forward, and the same ack by webhook, before
 * or after, is a duplicate).
 */
export async function applyListedSend(ctx: ParleyContext, sender: Sender, candidate: ReceiptCandidate, listed: ListedReceipt | undefined, policy: ReceiptCheckPolicy, failed: boolean): Promise<ReceiptCheckResult> {
  const services = webhookServicesFor(ctx);
  const now = ctx.clock.now();
  const ownId = listed?.providerMessageId ?? listed?.altProviderMessageId;
  const status = listed?.status;
  let item: StatusItem | undefined;
  let prep: StatusPrep = {};
  if (listed && ownId) {
    const waId = listed.altProviderMessageId;
    item = {
      kind: 'status',
      provider: sender.provider,
      route: { senderId: sender.id },
      providerMessageId: ownId,
      ...(waId && waId !== ownId ? { altProviderMessageIds: [waId] } : {}),
      parleyMessageId: candidate.id,
      ...(waId ? { providerAltId: waId } : {}),
      providerStatus: listed.providerStatus,
      status: status ?? 'queued',
      at: now,
      errors: [],
      source: 'list',
    };
    const hashes = [ownId, ...(item.altProviderMessageIds ?? [])].map(services.hashProviderId);
    [prep] = await matchStatusMessages(ctx.db, ctx.keyring, [{ item, workspaceId: candidate.workspaceId, hashes, altIdHash: waId ? services.hashProviderId(waId) : undefined }]);
  }
  const message = prep.message?.id === candidate.id ? prep.message : undefined;
  // `pending` (queued) says nothing a sent message does not already say.
  const applies = Boolean(message && item && status && status !== 'queued');
  // The WhatsApp id first, then the acks held under it (what the webhooks said comes first), then the list's ack.
  let learnt = false;
  if (message && prep.setAltId) {
    const altId = prep.setAltId;
    learnt = (await ctx.db.transaction().execute((trx) => storeAltIds(trx, [{ messageId: message.id, ...altId }], now))).size > 0;
    if (learnt) await applyPendingStatuses(ctx, [altId.hash]);
  }
  const results = new ApplyResults();
  const queued = await ctx.db.transaction().execute(async (trx) => {
    if (applies) await applyMatchedStatuses(trx, [{ work: { rowSeq: 0, item: item!, key: `list:${candidate.id}` }, item: item!, message: message!, setProviderId: prep.setProviderId }], results, now);
    await recordReceiptCheck(trx, candidate.id, candidate.checks + 1, policy, now);
    return ctx.domainEvents.publish(trx, results.domainEvents, now);
  });
  await emitQueued(ctx, queued);
  for (const { provider, result } of results.statusCounts) services.metrics.statuses.inc({ provider, result });
  if (failed) return 'error';
  if (!listed) return 'not_listed';
  if ([...results.results.values()].some((r) => r.result === 'applied')) return 'applied';
  return learnt ? 'learnt' : 'unchanged';
}

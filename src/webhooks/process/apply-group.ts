import { capabilitiesOf } from '../../channels/capabilities.js';
import type { ParleyContext } from '../../runtime/context.js';
import type { Db } from '../../db/database.js';
import type { QueuedDomainEvent } from '../../domain-events/bus.js';
import type { StatusItem } from '../../channels/webhook-items.js';
import { applyInbound } from './apply-inbound.js';
import { applyMatchedStatuses, type MatchedStatus } from './apply-statuses.js';
import { applyPhoneQuality, applyProviderErrors, applyTemplateUpdates, applyUserPreferences } from './apply-updates.js';
import { completeRow, writeCompletions } from './complete-rows.js';
import { holdPendingStatuses } from './hold-pending-statuses.js';
import { applyProviderIds } from './apply-provider-ids.js';
import { updateSenderHealth, type SenderHealthUpdate } from './update-sender-health.js';
import { ApplyResults, type RowWork, type WorkItem } from './work.js';

export interface GroupOutcome {
  results: ApplyResults;
  queued: QueuedDomainEvent[];
}

function healthUpdates(rows: RowWork[], items: WorkItem[]): SenderHealthUpdate[] {
  const received = new Map(rows.map((r) => [r.seq, r.receivedAt]));
  const bySender = new Map<string, SenderHealthUpdate & { lagAt: number }>();
  for (const work of items) {
    if (!work.sender || (work.item.kind !== 'status' && work.item.kind !== 'inbound')) continue;
    const at = received.get(work.rowSeq)!;
    const u = bySender.get(work.sender.id) ?? { senderId: work.sender.id, lastWebhookAt: at, lastStatusAt: null, lastInboundAt: null, lastLagMs: null, lagAt: 0 };
    u.lastWebhookAt = Math.max(u.lastWebhookAt, at);
    if (work.item.kind === 'status') u.lastStatusAt = Math.max(u.lastStatusAt ?? 0, at);
    else u.lastInboundAt = Math.max(u.lastInboundAt ?? 0, at);
    // Statuses of a channel without event times (UltraMsg acks) say nothing about lag.
    const hasEventTime = work.item.kind !== 'status' || capabilitiesOf(work.item.provider).statusEventTimes;
    if (hasEventTime && at >= u.lagAt) {
      u.lagAt = at;
      u.lastLagMs = Math.max(0, at - work.item.at);
    }
    bySender.set(work.sender.id, u);
  }
  return [...bySender.values()].map(({ lagAt: _lagAt, ...u }) => u);
}

async function applyItems(db: Db, items: WorkItem[], results: ApplyResults, now: number): Promise<void> {
  const of = (kind: string) => items.filter((w) => w.item.kind === kind);
  await applyInbound(db, of('inbound'), results, now);
  const matched: MatchedStatus[] = [];
  const unmatched: Array<{ work: WorkItem; item: StatusItem; senderId: string; hash: string; sealedItem: string }> = [];
  for (const work of of('status')) {
    const item = work.item as StatusItem;
    if (work.status?.message) matched.push({ work, item, message: work.status.message, setProviderId: work.status.setProviderId, setAltId: work.status.setAltId });
    else unmatched.push({ work, item, senderId: work.sender!.id, hash: work.idHash!, sealedItem: work.status!.heldItem! });
  }
  await applyMatchedStatuses(db, matched, results, now);
  await holdPendingStatuses(db, unmatched, results, now);
  await applyProviderIds(db, of('provider_id'), results, now);
  await applyTemplateUpdates(db, of('template_update'), results, now);
  await applyPhoneQuality(db, of('phone_quality'), results, now);
  await applyProviderErrors(db, of('provider_error'), results);
  applyUserPreferences(of('user_preference'), results);
}

/**
 * Applies items of some deliveries in one transaction: their effects, the senders' health, the
 * domain events to emit and, when `completeRows`, the deliveries' final states. Either all of it
 * commits or none; results reach the work only after the commit.
 */
export async function applyGroup(ctx: ParleyContext, rows: RowWork[], items: WorkItem[], options: { completeRows: boolean }): Promise<GroupOutcome> {
  const now = ctx.clock.now();
  const todo = items.filter((w) => !w.result);
  return ctx.db.transaction().execute(async (trx) => {
    const results = new ApplyResults();
    await applyItems(trx, todo, results, now);
    await updateSenderHealth(trx, healthUpdates(rows, items), now);
    if (options.completeRows) {
      await writeCompletions(trx, rows.map((row) => completeRow(row, (w) => w.result ?? results.results.get(w), now)), now);
    }
    const queued = await ctx.domainEvents.publish(trx, results.domainEvents, now);
    return { results, queued };
  });
}

import type { ParleyContext } from '../runtime/context.js';
import { emitQueued } from './domain-event-queue.js';
import type { StatusItem } from '../channels/webhook-items.js';
import { applyMatchedStatuses, type MatchedStatus } from './process/apply-statuses.js';
import { matchStatusMessages, type StatusToMatch } from './process/match-status-messages.js';
import { isSealed } from '../messages/provider-ids.js';
import { messageExistsWith } from '../messages/provider-id-queries.js';
import { ApplyResults, type WorkItem } from './process/work.js';
import { webhookServicesFor } from './services.js';

const BATCH = 500;

type PendingRow = { id: number; provider_id_hash: string; parley_message_id: string | null; item: string; sender_id: string };

async function applyPendingRows(ctx: ParleyContext, rows: PendingRow[]): Promise<number> {
  if (!rows.length) return 0;
  const services = webhookServicesFor(ctx);
  const candidates: Array<StatusToMatch & { row: PendingRow; item: StatusItem }> = [];
  for (const row of rows) {
    const sender = await services.directory.byId(row.sender_id);
    if (!sender) continue;
    // Held items are sealed with the sender's workspace key (rows held before 0008 were clear JSON).
    const item = JSON.parse(isSealed(row.item) ? await ctx.keyring.decrypt(sender.workspaceId, row.item) : row.item) as StatusItem;
    candidates.push({
      row,
      item,
      workspaceId: sender.workspaceId,
      hashes: [row.provider_id_hash, ...(item.altProviderMessageIds ?? []).map(services.hashProviderId)],
      altIdHash: item.providerAltId ? services.hashProviderId(item.providerAltId) : undefined,
    });
  }
  const matches = await matchStatusMessages(ctx.db, ctx.keyring, candidates);
  const matched: MatchedStatus[] = [];
  const done: number[] = [];
  candidates.forEach((c, i) => {
    const match = matches[i];
    if (!match.message) return;
    const work: WorkItem = { rowSeq: 0, item: c.item, key: `pending:${c.row.id}`, idHash: c.row.provider_id_hash };
    matched.push({ work, item: c.item, message: match.message, setProviderId: match.setProviderId, setAltId: match.setAltId });
    done.push(c.row.id);
  });
  if (!matched.length) return 0;
  const now = ctx.clock.now();
  const results = new ApplyResults();
  const queued = await ctx.db.transaction().execute(async (trx) => {
    await applyMatchedStatuses(trx, matched, results, now);
    await trx.deleteFrom('pending_statuses').where('id', 'in', done).execute();
    return ctx.domainEvents.publish(trx, results.domainEvents, now);
  });
  for (const { provider, result } of results.statusCounts) services.metrics.statuses.inc({ provider, result });
  await emitQueued(ctx, queued);
  return matched.length;
}

/**
 * Applies held statuses of messages that just became matchable. The outbound pipeline calls this
 * right after it stores provider message ids (a status may have arrived before the id was stored),
 * with their keyed hashes. Cheap when nothing waits: one indexed lookup. Returns how many statuses
 * were applied.
 */
export async function applyPendingStatuses(ctx: ParleyContext, providerIdHashes: readonly string[]): Promise<number> {
  let applied = 0;
  const ids = [...new Set(providerIdHashes)];
  for (let i = 0; i < ids.length; i += BATCH) {
    const rows = await ctx.db
      .selectFrom('pending_statuses')
      .select(['id', 'provider_id_hash', 'parley_message_id', 'item', 'sender_id'])
      .where('provider_id_hash', 'in', ids.slice(i, i + BATCH))
      .orderBy('id')
      .execute();
    applied += await applyPendingRows(ctx, rows);
  }
  return applied;
}

/** The processor's periodic sweep: held statuses whose message now exists (by provider id or Parley's id), then expiry. */
export async function sweepPendingStatuses(ctx: ParleyContext): Promise<{ applied: number; expired: number }> {
  // A held status finds its message by provider id, by the WhatsApp id of an UltraMsg send learnt since
  // (decision 0007), or by Parley's id.
  const heldFinding = (messageColumn: 'provider_id_hash' | 'provider_alt_id_hash' | 'id', pendingColumn: 'p.provider_id_hash' | 'p.parley_message_id') =>
    ctx.db
      .selectFrom('pending_statuses as p')
      .where(messageExistsWith(messageColumn, pendingColumn))
      .select(['p.id', 'p.provider_id_hash', 'p.parley_message_id', 'p.item', 'p.sender_id'])
      .orderBy('p.id')
      .limit(BATCH)
      .execute();
  const byProviderId = await heldFinding('provider_id_hash', 'p.provider_id_hash');
  const byAltId = await heldFinding('provider_alt_id_hash', 'p.provider_id_hash');
  const byParleyId = await heldFinding('id', 'p.parley_message_id');
  const rows = [...new Map([...byProviderId, ...byAltId, ...byParleyId].map((r) => [r.id, r])).values()].sort((a, b) => a.id - b.id);
  const applied = await applyPendingRows(ctx, rows);
  const expired = await ctx.db.deleteFrom('pending_statuses').where('expires_at', '<', ctx.clock.now()).executeTakeFirst();
  const expiredCount = Number(expired.numDeletedRows);
  if (expiredCount) webhookServicesFor(ctx).metrics.statuses.inc({ provider: 'any', result: 'expired' }, expiredCount);
  return { applied, expired: expiredCount };
}

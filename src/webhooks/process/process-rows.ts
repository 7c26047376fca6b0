import { capabilitiesOf } from '../../channels/capabilities.js';
import { setImmediate } from 'node:timers/promises';
import type { ParleyContext } from '../../runtime/context.js';
import { emitQueued } from '../domain-event-queue.js';
import type { ClaimedLogRow } from '../log/claim-log-rows.js';
import type { WebhookServices } from '../services.js';
import { applyGroup, type GroupOutcome } from './apply-group.js';
import { completeRow, writeCompletions } from './complete-rows.js';
import { decodeRow } from './decode.js';
import { prepareWork } from './prepare.js';
import type { RowWork } from './work.js';
import { isDatabaseUnavailable } from '../../db/unavailable.js';

function commit(services: WebhookServices, outcome: GroupOutcome): void {
  for (const [work, result] of outcome.results.results) work.result = result;
  const counts = new Map<string, number>();
  for (const { provider, result } of outcome.results.statusCounts) counts.set(`${provider}:${result}`, (counts.get(`${provider}:${result}`) ?? 0) + 1);
  for (const [key, n] of counts) {
    const [provider, result] = key.split(':');
    services.metrics.statuses.inc({ provider, result }, n);
  }
}

/**
 * Processes claimed deliveries. The whole batch is applied in one transaction (the fast path); if
 * that throws, each delivery gets its own transaction, and inside a delivery that still throws,
 * each item its own: one bad item is a result for that item, never the failure of its batch.
 */
export async function processRows(ctx: ParleyContext, services: WebhookServices, claimed: ClaimedLogRow[]): Promise<RowWork[]> {
  const rows = claimed.map((row) => decodeRow(row, services.seal, services.hashProviderId, services.channels));
  // SQLite work is synchronous: between phases, let waiting HTTP requests (and log commits) through.
  await setImmediate();
  await prepareWork(ctx, services, rows);
  await setImmediate();
  const emit: GroupOutcome[] = [];
  try {
    const outcome = await applyGroup(ctx, rows, rows.flatMap((r) => r.items), { completeRows: true });
    commit(services, outcome);
    emit.push(outcome);
  } catch (batchError) {
    // An unreachable database is not a bad item: stop here, and the claimed rows come back once their
    // lease ends (marking items as errors now would complete their rows and lose their statuses).
    if (isDatabaseUnavailable(batchError)) throw batchError;
    ctx.logger.warn({ err: batchError, deliveries: rows.length }, 'webhook batch failed as a whole; applying delivery by delivery');
    for (const row of rows) {
      try {
        const outcome = await applyGroup(ctx, [row], row.items, { completeRows: true });
        commit(services, outcome);
        emit.push(outcome);
        continue;
      } catch (rowError) {
        if (isDatabaseUnavailable(rowError)) throw rowError;
        // Fall through to item by item.
      }
      for (const work of row.items) {
        if (work.result) continue;
        try {
          const outcome = await applyGroup(ctx, [row], [work], { completeRows: false });
          commit(services, outcome);
          emit.push(outcome);
        } catch (itemError) {
          if (isDatabaseUnavailable(itemError)) throw itemError;
          work.result = { result: 'error', note: (itemError as Error).message };
          ctx.logger.error({ err: itemError, seq: row.seq, item: work.key }, 'webhook item failed');
        }
      }
      await writeCompletions(ctx.db, [completeRow(row, (w) => w.result, ctx.clock.now())], ctx.clock.now());
    }
  }
  observe(ctx, services, rows);
  for (const outcome of emit) await emitQueued(ctx, outcome.queued);
  return rows;
}

/** Counts metrics per label set first: one prom-client call per distinct label set, not per item. */
function observe(ctx: ParleyContext, services: WebhookServices, rows: RowWork[]): void {
  const now = ctx.clock.now();
  const counts = new Map<string, number>();
  const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const lags = new Map<string, number[]>();
  for (const row of rows) {
    services.metrics.processingLag.observe({ provider: row.provider }, Math.max(0, now - row.receivedAt) / 1000);
    const state = completeRow(row, (w) => w.result, now).state;
    bump(`processed\u0000${row.provider}\u0000${state === 'pending' ? 'retry' : state}`);
    for (const work of row.items) {
      const r = work.result?.result ?? 'error';
      bump(`items\u0000${work.item.kind}\u0000${r}`);
      const isEvent = work.item.kind === 'inbound' || (work.item.kind === 'status' && capabilitiesOf(work.item.provider).statusEventTimes);
      if (isEvent && work.sender && (r === 'applied' || r === 'stale' || r === 'pending')) {
        const list = lags.get(work.sender.id) ?? [];
        list.push(Math.max(0, row.receivedAt - (work.item as { at: number }).at) / 1000);
        lags.set(work.sender.id, list);
      }
    }
  }
  for (const [key, n] of counts) {
    const [metric, a, b] = key.split('\u0000');
    if (metric === 'processed') services.metrics.processed.inc({ provider: a, state: b }, n);
    else services.metrics.items.inc({ kind: a, result: b }, n);
  }
  for (const [sender, values] of lags) {
    const histogram = services.metrics.eventLag.labels({ sender });
    for (const value of values) histogram.observe(value);
  }
}

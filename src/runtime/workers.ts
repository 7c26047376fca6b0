import type { BackgroundWorker, ParleyContext } from './context.js';
import { Dispatcher } from '../outbound/dispatch/dispatcher.js';
import { OUTBOUND_GATES } from '../outbound/gates/index.js';
import { applyPendingStatuses } from '../webhooks/pending-statuses.js';
import { ReceiptReconciler } from '../webhooks/receipts/receipt-reconciler.js';
import { webhookWorkers } from '../webhooks/workers.js';
import { eventWorkers } from '../events/workers.js';
import { RetentionWorker } from '../privacy/retention-worker.js';
import { templateWorkers } from '../templates/workers.js';

/** Factories of every module's background workers, run by `parley start` and `parley worker`. */
export const WORKER_FACTORIES: Array<(ctx: ParleyContext) => BackgroundWorker[]> = [
  (ctx) => {
    const dispatcher = new Dispatcher(ctx, {
      gates: OUTBOUND_GATES,
      // A status webhook may arrive before the provider id it names is stored: apply the held ones now.
      afterOutcomes: (c, outcomes) => {
        const ids = outcomes.flatMap((o) => (o.kind === 'accepted' ? [o.providerIdHash] : []));
        if (ids.length) applyPendingStatuses(c, ids).catch((err) => c.logger.error({ err }, 'applying held statuses failed'));
      },
    });
    // UltraMsg sends without a receipt are looked up for the senders this dispatcher holds (decision 0007).
    return [dispatcher, new ReceiptReconciler(ctx, () => [...dispatcher.runtimes.values()].map((r) => r.sender))];
  },
  webhookWorkers,
  eventWorkers,
  (ctx) => [new RetentionWorker(ctx)],
  templateWorkers,
];

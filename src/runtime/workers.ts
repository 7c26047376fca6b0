import type { BackgroundWorker, ParleyContext } from './context.js';
import { Dispatcher } from '../outbound/dispatch/dispatcher.js';
import { OUTBOUND_GATES } from '../outbound/gates/index.js';
import { templateWorkers } from '../templates/workers.js';

/** Factories of every module's background workers, run by `parley start` and `parley worker`. */
export const WORKER_FACTORIES: Array<(ctx: ParleyContext) => BackgroundWorker[]> = [
  (ctx) => [new Dispatcher(ctx, { gates: OUTBOUND_GATES })],
  templateWorkers,
];

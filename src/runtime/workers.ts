import type { BackgroundWorker, ParleyContext } from './context.js';
import { RetentionWorker } from '../privacy/retention-worker.js';

/** Factories of every module's background workers, run by `parley start` and `parley worker`. */
export const WORKER_FACTORIES: Array<(ctx: ParleyContext) => BackgroundWorker[]> = [
  (ctx) => [new RetentionWorker(ctx)],
];

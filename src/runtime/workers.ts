import type { BackgroundWorker, ParleyContext } from './context.js';
import { templateWorkers } from '../templates/workers.js';

/** Factories of every module's background workers, run by `parley start` and `parley worker`. */
export const WORKER_FACTORIES: Array<(ctx: ParleyContext) => BackgroundWorker[]> = [templateWorkers];

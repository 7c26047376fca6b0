import type { BackgroundWorker, ParleyContext } from '../runtime/context.js';
import { EventDeliveryWorker } from './delivery-worker.js';

/** The events module's background work: delivering the outbox to subscribed business systems. */
export const eventWorkers = (ctx: ParleyContext): BackgroundWorker[] => [new EventDeliveryWorker(ctx)];

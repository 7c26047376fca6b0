import type { BackgroundWorker, ParleyContext } from '../runtime/context.js';
import { MediaDownloader } from './media/media-downloader.js';
import { WebhookProcessor } from './processor.js';

/** The webhook module's background work: processing the log, and downloading inbound media. */
export const webhookWorkers = (ctx: ParleyContext): BackgroundWorker[] => [new WebhookProcessor(ctx), new MediaDownloader(ctx)];

// The entry of `parley start`'s worker thread (see worker-thread-host.ts and
// docs/decisions/0005-start-uses-two-threads.md): the background workers of `parley worker`, on their
// own event loop and their own database connection, beside the main thread that answers the API.
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import type { Config } from '../config/load.js';
import { createLogger } from '../observability/logger.js';
import { webhookServicesFor } from '../webhooks/services.js';
import { forgetFacts, onFactsForgotten } from '../runtime/fact-caches.js';
import type { BackgroundWorker } from '../runtime/context.js';
import { createContext } from './create-context.js';
import { WriteTurnstile } from '../db/dialects/write-turnstile.js';
import { DISPATCH_FACTORIES, PROCESS_FACTORIES, WORKER_FACTORIES } from './modules.js';
import type { ToWorkerThread, FromWorkerThread, WorkerThreadData } from './worker-thread-protocol.js';

const port = parentPort!;
const data = workerData as WorkerThreadData;
const config = data.config as Config;
const post = (message: FromWorkerThread) => port.postMessage(message);

// Logs go to the same file descriptor as the main thread's, written synchronously from this thread
// (nothing is lost when the thread ends; the writes block this thread, not the API's).
const logger = createLogger({ level: config.logLevel, destination: pino.destination({ dest: data.logFd, sync: true }) }).child({ thread: data.role === 'all' ? 'worker' : data.role });
const writeTurnstile = data.writeTurnstile ? new WriteTurnstile(data.writeTurnstile) : undefined;
// The main thread's store checkpoints the WAL: a second checkpoint thread would only compete with it.
const ctx = createContext({ config, masterKey: Buffer.from(data.masterKey), logger, defaultMetrics: false, writeTurnstile, backgroundCheckpoints: false });
const FACTORIES = { all: WORKER_FACTORIES, dispatch: DISPATCH_FACTORIES, process: PROCESS_FACTORIES } as const;
const workers: BackgroundWorker[] = FACTORIES[data.role].flatMap((factory) => factory(ctx));
// Sends queued here (the bot's answers) go out from the dispatch thread: it is woken through the main thread, once per turn of this loop.
if (data.role === 'process') {
  const queued = new Set<string>();
  ctx.signals.onOutboxQueued((senderId) => {
    if (queued.size === 0) {
      setImmediate(() => {
        post({ type: 'outbox', senderIds: [...queued] });
        queued.clear();
      });
    }
    queued.add(senderId);
  });
}
// A template status applied here must reach the accepts of the main thread at once, not after their TTL.
let forgetPosted = false;
onFactsForgotten(ctx, () => {
  if (forgetPosted) return;
  forgetPosted = true;
  setImmediate(() => {
    forgetPosted = false;
    post({ type: 'forget-accept-facts' });
  });
});
// Conversation events committed here (a customer's message, the assignment engine, the SLA worker)
// wake the main thread's live streams, once per turn of this loop, instead of at their next poll.
const changedWorkspaces = new Set<string>();
ctx.signals.onConversationChanged((workspaceId) => {
  if (changedWorkspaces.size === 0) {
    setImmediate(() => {
      post({ type: 'conversations-changed', workspaceIds: [...changedWorkspaces] });
      changedWorkspaces.clear();
    });
  }
  changedWorkspaces.add(workspaceId);
});
for (const worker of workers) worker.start();
logger.debug({ workers: workers.map((w) => w.name) }, 'worker thread started');

let stopping: Promise<void> | undefined;
port.on('message', (message: ToWorkerThread) => {
  switch (message.type) {
    case 'outbox':
      for (const senderId of message.senderIds) ctx.signals.outboxQueued(senderId);
      break;
    case 'forget-facts':
      forgetFacts(ctx, { quiet: true });
      break;
    case 'webhooks-committed':
      webhookServicesFor(ctx).notifyCommitted(message.count);
      break;
    case 'metrics':
      ctx.metrics.registry.getMetricsAsJSON().then(
        (metrics) => post({ type: 'metrics', requestId: message.requestId, metrics }),
        () => post({ type: 'metrics', requestId: message.requestId, metrics: undefined }),
      );
      break;
    case 'stop':
      stopping ??= (async () => {
        try {
          await Promise.all(workers.map((w) => w.stop()));
          await ctx.store.close();
        } catch (error) {
          logger.error({ err: error }, 'stopping the worker thread failed');
        }
        logger.info('worker thread stopped');
        post({ type: 'stopped' });
      })();
      break;
  }
});
post({ type: 'started', workers: workers.map((w) => w.name) });

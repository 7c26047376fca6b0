import { Worker } from 'node:worker_threads';
import type { MetricsJson } from '../observability/metrics.js';
import { webhookServicesFor } from '../webhooks/services.js';
import { forgetFacts, onFactsForgotten } from '../runtime/fact-caches.js';
import type { BackgroundWorker, ParleyContext } from '../runtime/context.js';
import type { WriteTurnstile } from '../db/dialects/write-turnstile.js';
import type { FromWorkerThread, ToWorkerThread, WorkerThreadData, WorkerThreadRole } from './worker-thread-protocol.js';

/** How long /metrics waits for the worker thread's metrics before showing the main thread's alone. */
const METRICS_TIMEOUT_MS = 2000;
/** Pause before a worker thread that ended unexpectedly is started again. */
const RESTART_DELAY_MS = 1000;

// Compiled, this module is worker-thread-host.js beside worker-thread.js. Run from source (`npm run
// dev`, the tests' CLI), it is .ts: the thread registers tsx's loader before importing its entry.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const ENTRY = new URL(FROM_SOURCE ? './worker-thread.ts' : './worker-thread.js', import.meta.url);
const newWorker = (workerData: WorkerThreadData): Worker =>
  FROM_SOURCE
    ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(ENTRY.href)}); });`, { eval: true, workerData })
    : new Worker(ENTRY, { workerData });

/** What each kind of worker thread runs, as logged and listed among the workers. */
const NAMES: Record<WorkerThreadRole, string> = {
  all: 'worker thread (dispatcher, webhook processor, bot, search indexer, event delivery, retention, template sync)',
  dispatch: 'dispatch thread (dispatcher, receipt reconciler, search indexer)',
  process: 'processing thread (webhook processor, bot, event delivery, retention, template sync)',
};

/**
 * `parley start`'s background work in a worker thread with its own database connection: all of it
 * (`role` all), or the dispatcher's or the rest's when two threads share it (decision 0005), so the
 * main thread's event loop answers the API and ingests webhooks without waiting behind dispatch. The main thread tells
 * the thread what it queued and committed (the in-process wake-ups `parley worker` gets from its
 * own API), and shows the thread's metrics on its /metrics. Stopping drains the thread's workers
 * and closes its connection; a thread that ends unexpectedly is logged and started again.
 */
export class WorkerThreadHost implements BackgroundWorker {
  readonly name: string;
  readonly #role: WorkerThreadRole;
  readonly #ctx: ParleyContext;
  readonly #data: WorkerThreadData;
  #worker: Worker | undefined;
  #exited: Promise<void> = Promise.resolve();
  #stopping = false;
  /** The thread reported its workers started (until then it is loading its modules). */
  #started = false;
  #restartTimer: NodeJS.Timeout | undefined;
  #unsubscribe: Array<() => void> = [];
  #senders = new Set<string>();
  #committed = 0;
  #forget = false;
  #flushScheduled = false;
  #nextRequest = 1;
  readonly #metricsWaiting = new Map<number, (metrics: MetricsJson | undefined) => void>();
  readonly #metricsSource = () => this.#metrics();

  readonly #turnstile: WriteTurnstile | undefined;

  constructor(ctx: ParleyContext, options: { masterKey: Buffer; logFd: number; writeTurnstile?: WriteTurnstile; role?: WorkerThreadRole }) {
    this.#ctx = ctx;
    this.#role = options.role ?? 'all';
    this.name = NAMES[this.#role];
    this.#turnstile = options.writeTurnstile;
    this.#data = { role: this.#role, config: { ...ctx.config }, masterKey: new Uint8Array(options.masterKey), logFd: options.logFd, writeTurnstile: options.writeTurnstile?.buffer };
  }

  start(): void {
    this.#unsubscribe.push(
      this.#ctx.signals.onOutboxQueued((senderId) => {
        if (this.#role === 'process') return;
        this.#senders.add(senderId);
        this.#scheduleFlush();
      }),
      // An API write here: the worker thread's cached facts (consent policy, workspace settings) are read again.
      onFactsForgotten(this.#ctx, () => {
        this.#forget = true;
        this.#scheduleFlush();
      }),
      webhookServicesFor(this.#ctx).onCommitted((count) => {
        if (this.#role === 'dispatch') return;
        this.#committed += count;
        this.#scheduleFlush();
      }),
    );
    this.#ctx.metrics.sources.add(this.#metricsSource);
    this.#spawn();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#restartTimer);
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#ctx.metrics.sources.delete(this.#metricsSource);
    // A thread still loading its modules has taken no work: it is ended rather than waited for.
    if (this.#worker && !this.#started) void this.#worker.terminate();
    else this.#post({ type: 'stop' });
    await this.#exited;
  }

  #spawn(): void {
    const worker = newWorker(this.#data);
    this.#worker = worker;
    this.#started = false;
    this.#exited = new Promise<void>((resolve) => {
      worker.once('exit', (code) => {
        this.#worker = undefined;
        for (const answer of this.#metricsWaiting.values()) answer(undefined);
        this.#metricsWaiting.clear();
        // A thread that ended while it held (or waited for) a turn at the write lock must not keep the API's writes waiting.
        this.#turnstile?.reset();
        resolve();
        if (this.#stopping) return;
        this.#ctx.logger.error({ thread: this.#role, code, restartInMs: RESTART_DELAY_MS }, 'the worker thread ended unexpectedly; starting it again');
        this.#restartTimer = setTimeout(() => this.#spawn(), RESTART_DELAY_MS);
      });
    });
    worker.on('error', (err) => this.#ctx.logger.error({ err }, 'the worker thread failed'));
    worker.on('message', (message: FromWorkerThread) => {
      if (message.type === 'metrics') {
        this.#metricsWaiting.get(message.requestId)?.(message.metrics);
        this.#metricsWaiting.delete(message.requestId);
      } else if (message.type === 'stopped') {
        // Drained and disconnected: whatever handle is left (an idle keep-alive socket) must not hold the exit.
        void worker.terminate();
      } else if (message.type === 'forget-accept-facts') {
        // Told on to every worker thread (this one too, which does no harm): a second thread caches the same facts.
        forgetFacts(this.#ctx, { quiet: this.#role === 'all' });
      } else if (message.type === 'conversations-changed') {
        for (const workspaceId of message.workspaceIds) this.#ctx.signals.conversationChanged(workspaceId);
      } else if (message.type === 'outbox') {
        // The bot's answers, queued in the processing thread: the dispatch thread's host hears of them here.
        for (const senderId of message.senderIds) this.#ctx.signals.outboxQueued(senderId);
      } else if (message.type === 'started') {
        this.#started = true;
        this.#ctx.logger.info({ thread: this.#role, workers: message.workers }, 'worker thread started');
      }
    });
  }

  #post(message: ToWorkerThread): void {
    this.#worker?.postMessage(message);
  }

  /** Wake-ups are sent once per turn of the event loop, however many accepts the turn held. */
  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      // Facts first: a send accepted after a settings change is dispatched under the new settings.
      if (this.#forget) this.#post({ type: 'forget-facts' });
      if (this.#senders.size) this.#post({ type: 'outbox', senderIds: [...this.#senders] });
      if (this.#committed) this.#post({ type: 'webhooks-committed', count: this.#committed });
      this.#forget = false;
      this.#senders.clear();
      this.#committed = 0;
    });
  }

  #metrics(): Promise<MetricsJson | undefined> {
    if (!this.#worker) return Promise.resolve(undefined);
    const requestId = this.#nextRequest++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#metricsWaiting.delete(requestId);
        resolve(undefined);
      }, METRICS_TIMEOUT_MS);
      this.#metricsWaiting.set(requestId, (metrics) => {
        clearTimeout(timer);
        resolve(metrics);
      });
      this.#post({ type: 'metrics', requestId });
    });
  }
}

/**
 * `parley start`'s worker threads as its configuration lays them out (PARLEY_WORKER_THREADS): one
 * thread with all the background work, or (the default) the dispatcher in one and the rest in another.
 */
export function startThreadHosts(ctx: ParleyContext, options: { masterKey: Buffer; logFd: number; writeTurnstile?: WriteTurnstile }): WorkerThreadHost[] {
  return ctx.config.workerThreads === 1 ? [new WorkerThreadHost(ctx, options)] : [new WorkerThreadHost(ctx, { ...options, role: 'process' }), new WorkerThreadHost(ctx, { ...options, role: 'dispatch' })];
}

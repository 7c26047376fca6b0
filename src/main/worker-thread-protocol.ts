import type { MetricsJson } from '../observability/metrics.js';

/**
 * What a worker thread runs: `all` the background workers (one thread), or, with two threads,
 * `dispatch` (the dispatcher and the receipt reconciler) or `process` (everything else: the webhook
 * processor and the bot, event delivery, retention, template sync, the SLA and snooze workers).
 */
export type WorkerThreadRole = 'all' | 'dispatch' | 'process';

/** What `parley start`'s main thread hands its worker thread at creation. */
export interface WorkerThreadData {
  role: WorkerThreadRole;
  /** The parsed configuration (a plain object). */
  config: Record<string, unknown>;
  masterKey: Uint8Array;
  /** The file descriptor logs are written to (1 or 2, as the main thread's). */
  logFd: number;
  /** SQLite: the turnstile at the write lock shared with the main thread's connection (write-turnstile.ts). */
  writeTurnstile?: SharedArrayBuffer;
}

/** Messages from the main thread to the worker thread. */
export type ToWorkerThread =
  /** Messages for these senders were queued (the main thread accepted them): wake their dispatch. */
  | { type: 'outbox'; senderIds: string[] }
  /** The main thread committed webhook deliveries to the log: wake the processor. */
  | { type: 'webhooks-committed'; count: number }
  | { type: 'metrics'; requestId: number }
  /** An API write changed what the workers cache (a workspace's settings, a sender): read it again. */
  | { type: 'forget-facts' }
  /** Drain: stop every worker, close the database, then end the thread. */
  | { type: 'stop' };

/** Messages from the worker thread to the main thread. */
export type FromWorkerThread =
  | { type: 'started'; workers: string[] }
  | { type: 'metrics'; requestId: number; metrics: MetricsJson | undefined }
  /** A template's status changed (webhook, sync): the main thread's accepts must not reuse what they cached. */
  | { type: 'forget-accept-facts' }
  /** Conversation events of these workspaces were committed here: the main thread's live streams read at once. */
  | { type: 'conversations-changed'; workspaceIds: string[] }
  /** Messages for these senders were queued here (the bot's answers) and this thread does not dispatch: wake the thread that does. */
  | { type: 'outbox'; senderIds: string[] }
  | { type: 'stopped' };

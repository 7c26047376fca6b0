import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** What one checkpoint pass did (SQLite's `wal_checkpoint` result). */
export interface CheckpointReport {
  /** Frames in the WAL. */
  log: number;
  /** Frames copied into the database file so far. */
  checkpointed: number;
  /** The database was idle and fully checkpointed: the WAL file was truncated to zero bytes. */
  truncated?: boolean;
}

export interface CheckpointerOptions {
  /** How often the thread checkpoints. */
  everyMs: number;
  /** Called with each pass's result (tests, diagnostics). */
  onCheckpoint?: (report: CheckpointReport) => void;
  /** `journal_size_limit` of the thread's connection (the size a reset WAL is cut back to). */
  walSizeLimitBytes?: number;
  /** Called when a pass fails or the thread stops unexpectedly; the connection's own checkpoints still run. */
  onError?: (error: Error) => void;
}

// Plain JavaScript run with `eval`, so it works the same from the compiled build and from sources
// under tsx. Its own connection runs PASSIVE checkpoints: they never wait for, nor block, the writer.
// When nothing was written between two passes and every frame is copied, it runs a TRUNCATE
// checkpoint (without waiting: busy_timeout 0), which empties the WAL file.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
// A TRUNCATE checkpoint must not wait for the writer: if it is busy, the database is not idle.
db.pragma('busy_timeout = 0');
db.pragma('journal_size_limit = ' + workerData.walSizeLimit);
let timer;
let previousLog = -1;
const pass = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    // Idle (no frame written since the last pass) and every frame copied: cut the WAL file to nothing,
    // so the space a burst took is given back to the file system.
    if (r.log > 0 && r.log === r.checkpointed && r.log === previousLog) {
      const [t] = db.pragma('wal_checkpoint(TRUNCATE)');
      previousLog = t.busy ? r.log : 0;
      parentPort.postMessage({ log: t.busy ? r.log : 0, checkpointed: t.busy ? r.checkpointed : 0, truncated: !t.busy });
      return;
    }
    previousLog = r.log;
    parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed });
  } catch (error) {
    // Another process's checkpoint holding the lock is not a failure: the next pass catches up.
    if (error && (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED')) return;
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
};
timer = setInterval(pass, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  pass();
  db.close();
  parentPort.close();
});
`;

/**
 * Copies committed WAL frames into the database file from a thread of its own. SQLite otherwise
 * checkpoints inside the commit that crosses `wal_autocheckpoint` pages: on the event loop, about a
 * tenth of the cost of webhook processing. The caller raises its connection's own threshold so that
 * it only checkpoints if this thread falls far behind (or is gone): the WAL stays bounded either way.
 */
export class SqliteCheckpointer {
  readonly #worker: Worker;
  #exited = false;
  #stopped: Promise<void> | undefined;

  constructor(file: string, options: CheckpointerOptions) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { file, driver, everyMs: options.everyMs, walSizeLimit: options.walSizeLimitBytes ?? 4 * 1024 * 1024 } });
    // Never keeps the process alive on its own.
    this.#worker.unref();
    this.#worker.on('message', (message: CheckpointReport | { error: string }) => {
      if ('error' in message) options.onError?.(new Error(`WAL checkpoint failed: ${message.error}`));
      else options.onCheckpoint?.(message);
    });
    this.#worker.on('error', (error) => options.onError?.(error));
    this.#worker.once('exit', () => {
      this.#exited = true;
    });
  }

  /** Runs a last pass and closes the thread's connection. */
  stop(): Promise<void> {
    if (this.#exited) return Promise.resolve();
    this.#stopped ??= new Promise<void>((resolve) => {
      // Held open until the last pass is done.
      this.#worker.ref();
      this.#worker.once('exit', () => resolve());
      this.#worker.postMessage('stop');
    });
    return this.#stopped;
  }
}

import { statSync, statfsSync } from 'node:fs';
import path from 'node:path';
import { ParleyError } from '../errors/parley-error.js';

/** What the monitor tells whoever logs for the process: once when storage fills up, once when it recovers. */
export interface StorageEpisodeListener {
  full(error: Error, detail: { freeBytes: number | null; walBytes: number | null }): void;
  recovered(detail: { fullForMs: number; freeBytes: number | null }): void;
}

/** SQLite's error codes that mean "no room": SQLITE_FULL always; I/O errors when the disk has no free space left. */
const IO_ERROR = /^SQLITE_IOERR/;
/** Below this much free space an SQLite I/O error is taken to be ENOSPC (SQLite's code does not say). */
const NEARLY_FULL_BYTES = 1024 * 1024;
/** A write that failed for lack of space this recently keeps /readyz at 503 even if space seems free. */
const RECENT_FAILURE_MS = 5000;

/**
 * Watches one SQLite database file's storage: whether writes are failing for lack of space (an
 * episode, logged once at its start and once at its end), the free space of its file system, and the
 * size of its write-ahead log. The connection's driver reports every failing and every committed
 * write here (fair-sqlite-dialect.ts); /readyz and /metrics read it.
 */
export class StorageMonitor {
  readonly file: string;
  #fullSince: number | null = null;
  #lastError: string | null = null;
  #lastFailureAt = 0;
  #listener?: StorageEpisodeListener;

  constructor(file: string) {
    this.file = path.resolve(file);
  }

  /** Where episodes are reported (the context attaches its logger). */
  listen(listener: StorageEpisodeListener): void {
    this.#listener = listener;
  }

  get full(): boolean {
    return this.#fullSince !== null;
  }
  get fullSince(): number | null {
    return this.#fullSince;
  }
  get lastError(): string | null {
    return this.#lastError;
  }

  /**
   * Whether the process cannot write now, for /readyz: an episode is open and either the file system
   * is still (nearly) full or a write failed in the last few seconds. Once space is back it reports
   * ready at once; the episode itself ends with the next committed write.
   */
  unwritable(now = Date.now()): boolean {
    if (this.#fullSince === null) return false;
    const free = this.freeBytes();
    return free === null || free < NEARLY_FULL_BYTES || now - this.#lastFailureAt < RECENT_FAILURE_MS;
  }

  /** Bytes available to this process on the database's file system (null if it cannot be read). */
  freeBytes(): number | null {
    try {
      const s = statfsSync(path.dirname(this.file));
      return Number(s.bavail) * Number(s.bsize);
    } catch {
      return null;
    }
  }

  /** Size of the write-ahead log file (0 when there is none). */
  walBytes(): number | null {
    try {
      return statSync(`${this.file}-wal`).size;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 0 : null;
    }
  }

  /** True when `error` is SQLite running out of space. */
  isFullError(error: unknown): boolean {
    const code = (error as { code?: unknown })?.code;
    if (code === 'SQLITE_FULL') return true;
    if (typeof code === 'string' && IO_ERROR.test(code)) {
      const free = this.freeBytes();
      return free !== null && free < NEARLY_FULL_BYTES;
    }
    return false;
  }

  /** A write failed for lack of space: returns the error to throw instead (STORAGE_FULL, 503). */
  failed(error: Error, now = Date.now()): ParleyError {
    this.#lastError = `${(error as { code?: string }).code ?? 'error'}: ${error.message}`;
    this.#lastFailureAt = now;
    if (this.#fullSince === null) {
      this.#fullSince = now;
      this.#listener?.full(error, { freeBytes: this.freeBytes(), walBytes: this.walBytes() });
    }
    return new ParleyError('STORAGE_FULL', { cause: error });
  }

  /**
   * A write was committed: an episode, if any, is over once space is back. A small write can still
   * commit into pages the file already has while the disk stays full; that does not end the episode
   * (it would log full / writable again / full for every such write).
   */
  committed(now = Date.now()): void {
    if (this.#fullSince === null) return;
    const free = this.freeBytes();
    if (free !== null && free < NEARLY_FULL_BYTES) return;
    const fullForMs = now - this.#fullSince;
    this.#fullSince = null;
    this.#listener?.recovered({ fullForMs, freeBytes: this.freeBytes() });
  }
}

/** True for the error a full disk produces once it has been through the driver. */
export const isStorageFull = (error: unknown): boolean => error instanceof ParleyError && error.code === 'STORAGE_FULL';

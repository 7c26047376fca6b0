import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { StartupError } from './startup-error.js';

/**
 * One `parley start` per data directory. `start` is the process that runs the built-in emulator with the
 * credentials in `<dataDir>/emulator.json`, re-points the emulated senders at it and generates the master
 * key: a second one would take the senders over and strand the first one's queue when it stops. (`serve`
 * and `worker` take no lock: several of them beside each other on one database is how Parley scales.)
 *
 * The lock is SQLite's own file lock (POSIX `fcntl`), held by an open `BEGIN EXCLUSIVE` on an empty
 * database `<dataDir>/parley.lock`. The operating system drops it when the process ends, however it ends,
 * so a `kill -9` leaves nothing that blocks the next start. Acquiring it writes nothing into the file.
 * `<dataDir>/running.json` tells a refused second start which process holds the lock (pid, URLs).
 */
export const START_LOCK_FILE = 'parley.lock';
export const RUNNING_FILE = 'running.json';

export interface RunningInstance {
  pid: number;
  startedAt: string;
  url?: string | null;
  emulatorUrl?: string | null;
}

export type StartLockAttempt =
  | { status: 'acquired'; lock: StartLock }
  | { status: 'held'; file: string; holder?: RunningInstance }
  /** With `create: false`, when no lock file exists yet (so no start has ever held it). */
  | { status: 'absent' };

export class StartLock {
  readonly #db: BetterSqlite3.Database;
  readonly #dataDir: string;
  #released = false;

  private constructor(db: BetterSqlite3.Database, dataDir: string) {
    this.#db = db;
    this.#dataDir = dataDir;
  }

  /**
   * Takes the lock on `dataDir` without waiting. `create: false` only tries an existing lock file (it
   * writes nothing: used before the ports are checked); `create: true` makes the directory and file.
   */
  static tryAcquire(dataDir: string, options: { create: boolean }): StartLockAttempt {
    const file = path.resolve(dataDir, START_LOCK_FILE);
    if (!options.create && !existsSync(file)) return { status: 'absent' };
    let db: BetterSqlite3.Database | undefined;
    try {
      if (options.create) mkdirSync(path.dirname(file), { recursive: true });
      db = new BetterSqlite3(file, { timeout: 0, fileMustExist: !options.create });
      // No rollback journal beside the lock file: the transaction never writes a page.
      db.pragma('journal_mode = MEMORY');
      db.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      db?.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') return { status: 'held', file, holder: readRunning(dataDir) };
      throw new StartupError(`Cannot take the lock ${file} in the data directory (${(error as Error).message}). Set PARLEY_DATA_DIR to a directory this user can write, or remove ${file} if it is not Parley's (no \`parley start\` holds it).`);
    }
    return { status: 'acquired', lock: new StartLock(db, dataDir) };
  }

  /** Records who holds the lock (best effort: it only improves the message a second start prints). */
  describe(instance: RunningInstance): void {
    if (this.#released) return;
    try {
      writeFileSync(path.resolve(this.#dataDir, RUNNING_FILE), JSON.stringify(instance) + '\n');
    } catch {
      // The lock itself is what protects the data directory.
    }
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    rmSync(path.resolve(this.#dataDir, RUNNING_FILE), { force: true });
    this.#db.close();
  }
}

function readRunning(dataDir: string): RunningInstance | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path.resolve(dataDir, RUNNING_FILE), 'utf8')) as RunningInstance;
    return typeof parsed.pid === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

import type PgModule from 'pg';
import { loadPg } from './dialects/postgres.js';

/** Keys of the session-level advisory locks Parley takes on PostgreSQL (the migration lock is 7_352_617_001). */
export const SESSION_LOCKS = {
  /** Held by the `parley start` that runs the built-in emulator and points the emulated senders at it. */
  embeddedEmulator: 7_352_617_002,
} as const;

export interface SessionLock {
  release(): Promise<void>;
}

/**
 * Tries a PostgreSQL session-level advisory lock on its own connection (outside the pool, so that a pool
 * of one is not starved) and holds it until `release()`. The server drops it when the connection ends,
 * so a process killed with `kill -9` leaves nothing behind. Resolves `undefined` when another session holds it.
 */
export async function tryPostgresSessionLock(url: string, key: number, onLost: (error: Error) => void): Promise<SessionLock | undefined> {
  const client: PgModule.Client = new (loadPg().Client)({ connectionString: url });
  await client.connect();
  let released = false;
  client.on('error', (error) => {
    if (!released) onLost(error);
  });
  try {
    const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [key]);
    if (!rows[0]?.locked) {
      released = true;
      await client.end();
      return undefined;
    }
  } catch (error) {
    released = true;
    await client.end().catch(() => {});
    throw error;
  }
  return {
    release: async () => {
      if (released) return;
      released = true;
      await client.end();
    },
  };
}

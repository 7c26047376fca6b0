import { Gauge, type Registry } from 'prom-client';
import type { ParleyContext } from '../runtime/context.js';
import { listSenderHealth } from '../senders/sender-health.js';
import { SENDER_HEALTH_STATES } from '../outbound/dispatch/circuit-breaker.js';

const registered = new WeakSet<Registry>();

/**
 * Gauges read from the database and the file system at scrape time, so every process (API or worker)
 * reports the same: each sender's health (written by the dispatcher holding its lease) and, on
 * SQLite, the storage: free space, WAL size, and whether writes are failing for lack of space.
 */
export function registerHealthMetrics(ctx: ParleyContext): void {
  const registry = ctx.metrics.registry;
  if (registered.has(registry)) return;
  registered.add(registry);
  new Gauge({
    name: 'parley_sender_health',
    help: 'Health of each sender: 1 for its current state (ok, degraded, unreachable, unauthenticated, paused), 0 for the others.',
    labelNames: ['sender', 'state'] as const,
    registers: [registry],
    async collect() {
      // A database that does not answer must not take the whole scrape down with it: keep the last values.
      const health = await listSenderHealth(ctx.db).catch(() => undefined);
      if (!health) return;
      this.reset();
      for (const [sender, h] of health) for (const state of SENDER_HEALTH_STATES) this.set({ sender, state }, h.state === state ? 1 : 0);
    },
  });
  const storage = ctx.store.storage;
  if (!storage) return;
  // Each storage gauge reads one figure at scrape time; a figure that cannot be read is left unset.
  const storageGauges: Array<[name: string, help: string, read: () => number | null]> = [
    ['parley_storage_free_bytes', 'Bytes free for Parley on the file system holding the SQLite database.', () => storage.freeBytes()],
    ['parley_sqlite_wal_bytes', 'Size of the SQLite write-ahead log file.', () => storage.walBytes()],
    ['parley_storage_full', '1 while writes fail because the disk holding the SQLite database is full (requests get 503 STORAGE_FULL).', () => (storage.full ? 1 : 0)],
  ];
  for (const [name, help, read] of storageGauges) {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const value = read();
        if (value !== null) this.set(value);
      },
    });
  }
}

import type { Migration } from './types.js';
import { columns } from './types.js';

// Per-sender health (ok, degraded, unreachable, paused), written by the dispatcher holding the sender's
// lease when the state changes (never per message), read by the API, /readyz and /metrics of every
// process (docs/decisions/0006-provider-circuit-breaker.md).
export const migration: Migration = {
  async up(db, dialect) {
    const c = columns(dialect);
    await db.schema
      .createTable('sender_health')
      .addColumn('sender_id', 'text', (col) => col.primaryKey().references('senders.id'))
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('state', 'text', (col) => col.notNull())
      .addColumn('reason', 'text')
      .addColumn('since', c.bigint, (col) => col.notNull())
      .addColumn('updated_by', 'text')
      .execute();
  },
};

import type { Migration } from './types.js';
import { columns } from './types.js';

// The outbound pipeline's coordination state: dispatcher heartbeats and per-sender leases (one
// token bucket per sender lives in exactly one worker), the portfolio tier budget, suppressions,
// and the dead-letter list.
export const migration: Migration = {
  async up(db, dialect) {
    const c = columns(dialect);

    await db.schema
      .createTable('dispatch_workers')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('heartbeat_at', c.bigint, (col) => col.notNull())
      .addColumn('started_at', c.bigint, (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('sender_leases')
      .addColumn('sender_id', 'text', (col) => col.primaryKey().references('senders.id'))
      .addColumn('holder', 'text', (col) => col.notNull())
      .addColumn('acquired_at', c.bigint, (col) => col.notNull())
      .addColumn('expires_at', c.bigint, (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('tier_usage')
      .addColumn('portfolio_id', 'text', (col) => col.notNull())
      .addColumn('contact_id', 'text', (col) => col.notNull())
      .addColumn('first_sent_at', c.bigint, (col) => col.notNull())
      .addPrimaryKeyConstraint('tier_usage_pk', ['portfolio_id', 'contact_id'])
      .execute();
    await db.schema.createIndex('tier_usage_window').on('tier_usage').columns(['portfolio_id', 'first_sent_at']).execute();

    await db.schema
      .createTable('suppressions')
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('contact_id', 'text', (col) => col.notNull())
      .addColumn('scope', 'text', (col) => col.notNull())
      .addColumn('reason', 'text', (col) => col.notNull())
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addColumn('expires_at', c.bigint)
      .addPrimaryKeyConstraint('suppressions_pk', ['workspace_id', 'contact_id', 'scope'])
      .execute();

    await db.schema
      .createTable('dead_letters')
      .addColumn('message_id', 'text', (col) => col.primaryKey().references('messages.id'))
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('reason', 'text', (col) => col.notNull())
      .addColumn('error_code', 'text')
      .addColumn('attempts', 'integer', (col) => col.notNull())
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('dead_letters_workspace').on('dead_letters').columns(['workspace_id', 'created_at']).execute();
  },
};

import type { Migration } from './types.js';
import { columns } from './types.js';

// The audit trail (docs/decisions/0015-audit-chain.md): entries chained by hash per workspace, the
// head each append locks and moves, and signed checkpoints of heads. Entries are keyed by
// (workspace, seq), which also makes a sequence number unique; the list reads by seq, filtered by
// actor, resource, action or time.
export const migration: Migration = {
  async up(db, dialect) {
    const c = columns(dialect);
    await db.schema
      .createTable('audit_entries')
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('seq', c.bigint, (col) => col.notNull())
      .addColumn('id', 'text', (col) => col.notNull().unique())
      .addColumn('at', c.bigint, (col) => col.notNull())
      .addColumn('actor_type', 'text', (col) => col.notNull())
      .addColumn('actor_id', 'text', (col) => col.notNull())
      .addColumn('actor_via', 'text')
      .addColumn('action', 'text', (col) => col.notNull())
      .addColumn('resource_type', 'text', (col) => col.notNull())
      .addColumn('resource_id', 'text')
      .addColumn('diff', c.json)
      .addColumn('address', 'text')
      .addColumn('user_agent', 'text')
      .addColumn('request_id', 'text')
      .addColumn('prev_hash', 'text', (col) => col.notNull())
      .addColumn('hash', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('audit_entries_pk', ['workspace_id', 'seq'])
      .execute();
    await db.schema.createIndex('audit_entries_actor').on('audit_entries').columns(['workspace_id', 'actor_type', 'actor_id', 'seq']).execute();
    await db.schema.createIndex('audit_entries_resource').on('audit_entries').columns(['workspace_id', 'resource_type', 'resource_id', 'seq']).execute();
    await db.schema.createIndex('audit_entries_action').on('audit_entries').columns(['workspace_id', 'action', 'seq']).execute();
    await db.schema.createIndex('audit_entries_at').on('audit_entries').columns(['workspace_id', 'at']).execute();

    await db.schema
      .createTable('audit_heads')
      .addColumn('workspace_id', 'text', (col) => col.primaryKey())
      .addColumn('seq', c.bigint, (col) => col.notNull())
      .addColumn('hash', 'text', (col) => col.notNull())
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('audit_checkpoints')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('seq', c.bigint, (col) => col.notNull())
      .addColumn('hash', 'text', (col) => col.notNull())
      .addColumn('at', c.bigint, (col) => col.notNull())
      .addColumn('signature', 'text', (col) => col.notNull())
      .execute();
    // One checkpoint of a kind per head: workers racing to write the same one insert it once.
    await db.schema.createIndex('audit_checkpoints_head').on('audit_checkpoints').columns(['workspace_id', 'kind', 'seq']).unique().execute();
  },
};

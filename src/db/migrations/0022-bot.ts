import type { Migration } from './types.js';
import { columns } from './types.js';

/**
 * Bot flows and their runs (docs/decisions/0024-bot-flows.md):
 * - flows: a workspace's flows by name, each with its draft;
 * - flow_versions: published definitions, immutable, by flow and number;
 * - flow_assignments: the flow that answers a sender's new conversations, per entry point;
 * - bot_sessions: one per conversation × resolution cycle (unique: two messages that open a
 *   conversation at once start one run), with its sealed state, unexecuted effects and measures.
 */
export const migration: Migration = {
  async up(db, dialect) {
    const c = columns(dialect);
    await db.schema
      .createTable('flows')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('draft', c.json, (col) => col.notNull())
      .addColumn('latest_version', 'integer')
      .addColumn('webhook_secret', 'text', (col) => col.notNull())
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('flows_name').on('flows').columns(['workspace_id', 'name']).unique().execute();
    await db.schema
      .createTable('flow_versions')
      .addColumn('flow_id', 'text', (col) => col.notNull())
      .addColumn('version', 'integer', (col) => col.notNull())
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('definition', c.json, (col) => col.notNull())
      .addColumn('published_by', 'text', (col) => col.notNull())
      .addColumn('published_at', c.bigint, (col) => col.notNull())
      .addPrimaryKeyConstraint('flow_versions_pk', ['flow_id', 'version'])
      .execute();
    await db.schema
      .createTable('flow_assignments')
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('sender_id', 'text', (col) => col.notNull())
      .addColumn('entry', 'text', (col) => col.notNull())
      .addColumn('flow_id', 'text', (col) => col.notNull())
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .addPrimaryKeyConstraint('flow_assignments_pk', ['sender_id', 'entry'])
      .execute();
    await db.schema.createIndex('flow_assignments_flow').on('flow_assignments').columns(['flow_id']).execute();
    await db.schema
      .createTable('bot_sessions')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('conversation_id', 'text', (col) => col.notNull())
      .addColumn('cycle', 'integer', (col) => col.notNull())
      .addColumn('flow_id', 'text', (col) => col.notNull())
      .addColumn('flow_version', 'integer', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('state', 'text', (col) => col.notNull())
      .addColumn('pending', 'text')
      .addColumn('steps', 'integer', (col) => col.notNull())
      .addColumn('handoff_reason', 'text')
      .addColumn('misunderstandings', 'integer', (col) => col.notNull())
      .addColumn('missed_by_node', c.json, (col) => col.notNull())
      .addColumn('turns_by_node', c.json, (col) => col.notNull())
      .addColumn('webhook_failures', 'integer', (col) => col.notNull())
      .addColumn('started_at', c.bigint, (col) => col.notNull())
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .addColumn('ended_at', c.bigint)
      .execute();
    await db.schema.createIndex('bot_sessions_cycle').on('bot_sessions').columns(['conversation_id', 'cycle']).unique().execute();
    await db.schema.createIndex('bot_sessions_measures').on('bot_sessions').columns(['workspace_id', 'started_at']).execute();
    // The sweep that carries out effects a crash left undone reads only the few rows that have some.
    await db.schema.createIndex('bot_sessions_pending').on('bot_sessions').columns(['status', 'updated_at']).execute();
  },
};

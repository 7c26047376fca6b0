import type { Migration } from './types.js';
import { columns } from './types.js';

/**
 * Conversation metrics and SLAs (M4, docs/decisions/0019-sla-and-metrics.md):
 * - conversation_cycles: one row per resolved cycle (conversation × cycle), written once after the
 *   resolution commits, with its figures in wall-clock and business ms and the workspace-local day it
 *   closed on (`closed_day`, what the metrics API groups by).
 * - sla_policies: targets (first response, next response, resolution) for the workspace (`default`),
 *   a team or a sender: `scope_key` is unique per workspace, so each scope has at most one policy.
 * - sla_alerts: a near breach or a breach of one target in one cycle, recorded once (the primary key).
 */
export const migration: Migration = {
  async up(db, dialect) {
    const c = columns(dialect);
    await db.schema
      .createTable('conversation_cycles')
      .addColumn('conversation_id', 'text', (col) => col.notNull())
      .addColumn('cycle', 'integer', (col) => col.notNull())
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('team_id', 'text')
      .addColumn('sender_id', 'text', (col) => col.notNull())
      .addColumn('started_at', c.bigint, (col) => col.notNull())
      .addColumn('closed_at', c.bigint, (col) => col.notNull())
      .addColumn('closed_day', 'text', (col) => col.notNull())
      .addColumn('first_response_at', c.bigint)
      .addColumn('first_response_ms', c.bigint)
      .addColumn('first_response_business_ms', c.bigint)
      .addColumn('resolution_ms', c.bigint, (col) => col.notNull())
      .addColumn('resolution_business_ms', c.bigint)
      .addColumn('bot_ms', c.bigint, (col) => col.notNull())
      .addColumn('bot_business_ms', c.bigint)
      .addColumn('snoozed_ms', c.bigint, (col) => col.notNull())
      .addColumn('snoozed_business_ms', c.bigint)
      .addColumn('recorded_at', c.bigint, (col) => col.notNull())
      .addPrimaryKeyConstraint('conversation_cycles_pk', ['conversation_id', 'cycle'])
      .execute();
    await db.schema.createIndex('conversation_cycles_day').on('conversation_cycles').columns(['workspace_id', 'closed_day', 'team_id']).execute();

    await db.schema
      .createTable('sla_policies')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('scope', 'text', (col) => col.notNull())
      .addColumn('scope_id', 'text')
      .addColumn('scope_key', 'text', (col) => col.notNull())
      .addColumn('first_response_ms', c.bigint)
      .addColumn('next_response_ms', c.bigint)
      .addColumn('resolution_ms', c.bigint)
      .addColumn('business_hours', 'integer', (col) => col.notNull())
      .addColumn('near_breach_percent', 'integer', (col) => col.notNull())
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('sla_policies_scope').on('sla_policies').columns(['workspace_id', 'scope_key']).unique().execute();

    await db.schema
      .createTable('sla_alerts')
      .addColumn('conversation_id', 'text', (col) => col.notNull())
      .addColumn('cycle', 'integer', (col) => col.notNull())
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('level', 'text', (col) => col.notNull())
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('team_id', 'text')
      .addColumn('policy_id', 'text', (col) => col.notNull())
      .addColumn('target_ms', c.bigint, (col) => col.notNull())
      .addColumn('due_at', c.bigint)
      .addColumn('at', c.bigint, (col) => col.notNull())
      .addPrimaryKeyConstraint('sla_alerts_pk', ['conversation_id', 'cycle', 'kind', 'level'])
      .execute();
    await db.schema.createIndex('sla_alerts_workspace').on('sla_alerts').columns(['workspace_id', 'at']).execute();
  },
};

import type { Migration } from './types.js';
import { columns } from './types.js';

/**
 * Conversations (M4, docs/decisions/0018-conversations.md):
 * - conversations: one per contact × sender while `current_key` is set (unique); a resolved one stays
 *   current through the workspace's reopen period, so a customer writing again reopens it as a new
 *   resolution cycle. Owner (bot, user, nobody), team, the cycle's clocks, `version` for optimistic checks.
 * - conversation_events: every transition and every message attached, in a per-workspace sequence
 *   (`seq`, from `conversation_heads`, locked by the writing transaction, so commit order is seq order):
 *   the history of a conversation and the source of the live stream.
 * - agents: an agent's presence (online, away, offline), capacity and last assignment.
 * - assignment_policies: per sender or per team: which team a sender's conversations go to, how they
 *   are assigned (manual, round robin, balanced) and in which order the queue is served.
 */
export const migration: Migration = {
  async up(db, dialect) {
    const c = columns(dialect);
    await db.schema
      .createTable('conversations')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('sender_id', 'text', (col) => col.notNull())
      .addColumn('contact_id', 'text', (col) => col.notNull())
      .addColumn('current_key', 'text', (col) => col.unique())
      .addColumn('state', 'text', (col) => col.notNull())
      .addColumn('resume_state', 'text')
      .addColumn('snoozed_until', c.bigint)
      .addColumn('owner_type', 'text', (col) => col.notNull())
      .addColumn('owner_user_id', 'text')
      .addColumn('last_user_id', 'text')
      .addColumn('team_id', 'text')
      .addColumn('escalation_reason', 'text')
      .addColumn('cycle', 'integer', (col) => col.notNull())
      .addColumn('cycle_started_at', c.bigint, (col) => col.notNull())
      .addColumn('human_since', c.bigint)
      .addColumn('first_response_at', c.bigint)
      .addColumn('waiting_since', c.bigint)
      .addColumn('last_inbound_at', c.bigint)
      .addColumn('last_activity_at', c.bigint, (col) => col.notNull())
      .addColumn('resolved_at', c.bigint)
      .addColumn('ended_at', c.bigint)
      .addColumn('version', 'integer', (col) => col.notNull())
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('conversations_queue').on('conversations').columns(['workspace_id', 'state', 'team_id', 'created_at']).execute();
    await db.schema.createIndex('conversations_owner').on('conversations').columns(['owner_user_id', 'state']).execute();
    await db.schema.createIndex('conversations_contact').on('conversations').columns(['contact_id', 'sender_id', 'created_at']).execute();
    await db.schema.createIndex('conversations_snoozed').on('conversations').columns(['state', 'snoozed_until']).execute();

    await db.schema
      .createTable('conversation_heads')
      .addColumn('workspace_id', 'text', (col) => col.primaryKey())
      .addColumn('seq', c.bigint, (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('conversation_events')
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('seq', c.bigint, (col) => col.notNull())
      .addColumn('conversation_id', 'text', (col) => col.notNull())
      .addColumn('team_id', 'text')
      .addColumn('type', 'text', (col) => col.notNull())
      .addColumn('actor', 'text', (col) => col.notNull())
      .addColumn('reason', 'text')
      .addColumn('cycle', 'integer', (col) => col.notNull())
      .addColumn('cause', 'text')
      .addColumn('data', c.json, (col) => col.notNull())
      .addColumn('at', c.bigint, (col) => col.notNull())
      .addPrimaryKeyConstraint('conversation_events_pk', ['workspace_id', 'seq'])
      .execute();
    await db.schema.createIndex('conversation_events_conversation').on('conversation_events').columns(['conversation_id', 'seq']).execute();
    // A message or a webhook-driven fact is applied once: its cause (the message id) is unique per type.
    await db.schema.createIndex('conversation_events_cause').on('conversation_events').columns(['conversation_id', 'type', 'cause']).unique().execute();

    await db.schema
      .createTable('agents')
      .addColumn('user_id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('presence', 'text', (col) => col.notNull())
      .addColumn('presence_at', c.bigint, (col) => col.notNull())
      .addColumn('capacity', 'integer')
      .addColumn('last_assigned_at', c.bigint)
      .execute();
    await db.schema.createIndex('agents_workspace').on('agents').columns(['workspace_id', 'presence']).execute();

    await db.schema
      .createTable('assignment_policies')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('scope', 'text', (col) => col.notNull())
      .addColumn('scope_id', 'text', (col) => col.notNull())
      .addColumn('team_id', 'text')
      .addColumn('mode', 'text', (col) => col.notNull())
      .addColumn('queue_order', 'text', (col) => col.notNull())
      .addColumn('capacity', 'integer')
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('assignment_policies_scope').on('assignment_policies').columns(['workspace_id', 'scope', 'scope_id']).unique().execute();
  },
};

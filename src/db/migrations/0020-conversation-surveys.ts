import type { Migration } from './types.js';
import { columns } from './types.js';

/**
 * CSAT and NPS surveys asked when a conversation is resolved (docs/decisions/0023-csat-and-nps.md):
 * - conversation_surveys: one per conversation × resolution cycle (unique: a resolution handled twice
 *   asks once); how it was asked (`interactive`, `text`, `template`), the message that asked it, the
 *   score and when it came, the customer's comment sealed with the workspace's data key, or why it was
 *   skipped or failed.
 */
export const migration: Migration = {
  async up(db, dialect) {
    const c = columns(dialect);
    await db.schema
      .createTable('conversation_surveys')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('conversation_id', 'text', (col) => col.notNull())
      .addColumn('cycle', 'integer', (col) => col.notNull())
      .addColumn('team_id', 'text')
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('state', 'text', (col) => col.notNull())
      .addColumn('via', 'text')
      .addColumn('message_id', 'text')
      .addColumn('asked_at', c.bigint)
      .addColumn('score', 'integer')
      .addColumn('answered_at', c.bigint)
      .addColumn('comment', 'text')
      .addColumn('commented_at', c.bigint)
      .addColumn('reason', 'text')
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('conversation_surveys_cycle').on('conversation_surveys').columns(['conversation_id', 'cycle']).unique().execute();
    await db.schema.createIndex('conversation_surveys_answered').on('conversation_surveys').columns(['workspace_id', 'answered_at']).execute();
  },
};

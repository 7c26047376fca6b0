import type { Migration } from './types.js';
import { columns } from './types.js';

/**
 * Agent replies (M4, docs/decisions/0022-agent-replies.md):
 * - conversation_notes: a private note on a conversation, never sent to the customer; its text is
 *   personal data, sealed with the workspace's data key (`text`, `v1.…`). Mentions are user ids.
 * - canned_replies: a workspace's saved replies, found by a shortcut unique in the workspace; the text
 *   holds variables (`{{contact.name}}`) filled when it is sent.
 * - conversation_labels: the labels of a conversation, one row each; the list filters by label.
 */
export const migration: Migration = {
  async up(db, dialect) {
    const c = columns(dialect);
    await db.schema
      .createTable('conversation_notes')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('conversation_id', 'text', (col) => col.notNull())
      .addColumn('author', 'text', (col) => col.notNull())
      .addColumn('text', 'text', (col) => col.notNull())
      .addColumn('mentions', c.json, (col) => col.notNull())
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('conversation_notes_conversation').on('conversation_notes').columns(['conversation_id', 'created_at']).execute();

    await db.schema
      .createTable('canned_replies')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('shortcut', 'text', (col) => col.notNull())
      .addColumn('text', 'text', (col) => col.notNull())
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('canned_replies_shortcut').on('canned_replies').columns(['workspace_id', 'shortcut']).unique().execute();

    await db.schema
      .createTable('conversation_labels')
      .addColumn('conversation_id', 'text', (col) => col.notNull())
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('label', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('conversation_labels_pk', ['conversation_id', 'label'])
      .execute();
    await db.schema.createIndex('conversation_labels_label').on('conversation_labels').columns(['workspace_id', 'label']).execute();
  },
};

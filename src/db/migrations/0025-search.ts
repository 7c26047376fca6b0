import type { Migration } from './types.js';
import { columns } from './types.js';

/**
 * Search by name and by words (docs/decisions/0027-search-by-blind-index.md): keyed hashes of the
 * terms of contacts' names (with their prefixes) and of messages' words, written by the search indexer:
 * - search_name_terms: one row per contact × name term or prefix hash;
 * - search_message_terms: one row per message × word hash, with the message's contact and sender
 *   (what a conversation is found by) and its creation time;
 * - search_watermarks: how far the indexer has got per workspace and source, with its lease.
 */
export const migration: Migration = {
  async up(db, dialect) {
    const c = columns(dialect);
    await db.schema
      .createTable('search_name_terms')
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('contact_id', 'text', (col) => col.notNull())
      .addColumn('term_hash', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('search_name_terms_pk', ['contact_id', 'term_hash'])
      .execute();
    await db.schema.createIndex('search_name_terms_hash').on('search_name_terms').columns(['workspace_id', 'term_hash']).execute();
    await db.schema
      .createTable('search_message_terms')
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('message_id', 'text', (col) => col.notNull())
      .addColumn('contact_id', 'text', (col) => col.notNull())
      .addColumn('sender_id', 'text', (col) => col.notNull())
      .addColumn('term_hash', 'text', (col) => col.notNull())
      .addColumn('message_created_at', c.bigint, (col) => col.notNull())
      .addPrimaryKeyConstraint('search_message_terms_pk', ['message_id', 'term_hash'])
      .execute();
    await db.schema.createIndex('search_message_terms_hash').on('search_message_terms').columns(['workspace_id', 'term_hash', 'contact_id', 'sender_id']).execute();
    await db.schema.createIndex('search_message_terms_contact').on('search_message_terms').columns(['contact_id']).execute();
    await db.schema
      .createTable('search_watermarks')
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('source', 'text', (col) => col.notNull())
      .addColumn('after_at', c.bigint, (col) => col.notNull())
      .addColumn('after_id', 'text', (col) => col.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', c.bigint, (col) => col.notNull())
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .addPrimaryKeyConstraint('search_watermarks_pk', ['workspace_id', 'source'])
      .execute();
    // The indexer walks messages by (created_at, id) and contacts by (updated_at, id) within a workspace:
    // each batch must be an index range, not a scan and sort of every row of a busy millisecond (a
    // backlog of 100,000 messages accepted at once) or of the whole workspace's contacts. The messages'
    // (workspace_id, created_at) index gains the id, rather than a second index on the hot insert path.
    await db.schema.dropIndex('messages_workspace_created').execute();
    await db.schema.createIndex('messages_workspace_created').on('messages').columns(['workspace_id', 'created_at', 'id']).execute();
    await db.schema.createIndex('contacts_workspace_updated').on('contacts').columns(['workspace_id', 'updated_at', 'id']).execute();
  },
};

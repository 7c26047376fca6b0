import type { Migration } from './types.js';

/**
 * The search terms' deletes and moves by contact (the indexer replacing a contact's name terms,
 * erasure, a merge) name the workspace and the contact. The only indexes that began with the
 * workspace were the term-hash ones, and SQLite, without statistics, took them for those statements:
 * a scan of every term of the workspace for each contact (in the inbox benchmark, 25 of the dispatch
 * thread's 85 s, and a p99 eleven times the limit). An index on (workspace, contact) answers them
 * directly, on both dialects; the message terms' one replaces their index on the contact alone.
 */
export const migration: Migration = {
  async up(db) {
    await db.schema.createIndex('search_name_terms_contact').on('search_name_terms').columns(['workspace_id', 'contact_id']).execute();
    await db.schema.dropIndex('search_message_terms_contact').execute();
    await db.schema.createIndex('search_message_terms_contact').on('search_message_terms').columns(['workspace_id', 'contact_id']).execute();
  },
};

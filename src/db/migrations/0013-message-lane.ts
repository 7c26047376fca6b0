import type { Migration } from './types.js';

// A message's lane is stored as `lane` (decision 0013): the column was `category`, a word Meta uses for
// a template's kind and a conversation's pricing. A rename keeps every value and index; both
// dialects rename in place (SQLite since 3.25).
export const migration: Migration = {
  async up(db) {
    await db.schema.alterTable('messages').renameColumn('category', 'lane').execute();
  },
};

import type { Migration } from './types.js';
import { columns } from './types.js';

/**
 * stream_notices: facts of a workspace that are not a conversation's but that the live stream carries
 * (`template.changed`: a template's provider status or quality changed), numbered in the same
 * per-workspace sequence as the conversation events (`conversation_heads`), so one `Last-Event-ID`
 * resumes both. Each names the permission a stream's principal needs to receive it. Ids and states only;
 * a notice is kept for a week (a stream resumes within seconds), older ones go as new ones come.
 */
export const migration: Migration = {
  async up(db, dialect) {
    const c = columns(dialect);
    await db.schema
      .createTable('stream_notices')
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('seq', c.bigint, (col) => col.notNull())
      .addColumn('type', 'text', (col) => col.notNull())
      .addColumn('permission', 'text', (col) => col.notNull())
      .addColumn('data', c.json, (col) => col.notNull())
      .addColumn('at', c.bigint, (col) => col.notNull())
      .addPrimaryKeyConstraint('stream_notices_pk', ['workspace_id', 'seq'])
      .execute();
  },
};

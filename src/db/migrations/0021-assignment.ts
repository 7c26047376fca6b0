import type { Migration } from './types.js';

/**
 * Assignment (docs/decisions/0021-assignment.md): the sweep looks for teams with waiting conversations
 * (pending, owned by nobody) across workspaces every few seconds; this index answers it from the few
 * waiting rows instead of scanning every conversation ever kept.
 */
export const migration: Migration = {
  async up(db) {
    await db.schema.createIndex('conversations_waiting').on('conversations').columns(['state', 'owner_type', 'workspace_id', 'team_id']).execute();
  },
};

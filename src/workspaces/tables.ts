import type { Generated } from 'kysely';

/**
 * Terminology
 * - workspace: one tenant. Everything (senders, contacts, messages, keys) belongs to exactly one.
 *   Its API keys are `access/`'s.
 */
export interface WorkspacesTable {
  id: string;
  name: string;
  region: Generated<string>;
  /** JSON object of workspace settings; parsed by the modules that own each setting. */
  settings: Generated<string>;
  created_at: number;
}

// The tables this module owns, registered in the database type (`db/schema.ts`).
declare module '../db/schema.js' {
  interface Database {
    workspaces: WorkspacesTable;
  }
}

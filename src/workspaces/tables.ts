import type { Generated } from 'kysely';

/**
 * Terminology
 * - workspace: one tenant. Everything (senders, contacts, messages, keys) belongs to exactly one.
 * - API key: a bearer secret for `/v1/*` and the gateway, with scopes; stored only as a SHA-256 hash.
 *   The visible prefix (`prl_ab12cd34`) tells keys apart in lists and logs.
 */
export interface WorkspacesTable {
  id: string;
  name: string;
  region: Generated<string>;
  /** JSON object of workspace settings; parsed by the modules that own each setting. */
  settings: Generated<string>;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  workspace_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  /** JSON array of scope strings. */
  scopes: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

// The tables this module owns, registered in the database type (`db/schema.ts`).
declare module '../db/schema.js' {
  interface Database {
    workspaces: WorkspacesTable;
    api_keys: ApiKeysTable;
  }
}

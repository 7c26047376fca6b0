/**
 * Terminology
 * - API key: a bearer secret for `/v1/*` and the gateway, with scopes, belonging to one workspace;
 *   stored only as a SHA-256 hash. The visible prefix (`prl_ab12cd34`) tells keys apart in lists and logs.
 * - scope: one permission a key grants (`messages:write`, `admin`, ...; `scopes.ts`).
 */
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
    api_keys: ApiKeysTable;
  }
}

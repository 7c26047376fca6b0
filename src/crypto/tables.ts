/**
 * A workspace data key (32 random bytes), wrapped (AES-256-GCM) by the master key. The newest
 * un-retired key encrypts; every key decrypts what it encrypted, so rotation needs no downtime.
 */
export interface DataKeysTable {
  id: string;
  workspace_id: string;
  wrapped_key: string;
  created_at: number;
  retired_at: number | null;
}

// The tables this module owns, registered in the database type (`db/schema.ts`).
declare module '../db/schema.js' {
  interface Database {
    data_keys: DataKeysTable;
  }
}

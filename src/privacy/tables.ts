/**
 * Terminology
 * - erasure: destroying a contact's personal data on request (name, phone, wa_id, email, their
 *   hashes, attributes, tags, message bodies, consent proofs), keeping the rows that aggregate counts
 *   need (messages with status and timestamps, the consent ledger without proof). Logged in
 *   `contact_erasures` without personal data.
 * - export: everything held about a contact, decrypted, as one JSON document.
 * - retention: a workspace setting (`retention.messageBodyDays`); message bodies older than that are
 *   purged (content set to null) in batches by a background worker.
 * - watermark: how far the purge has got per workspace, so each run starts where the last stopped.
 */
export interface ContactErasuresTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  /** JSON Actor. */
  actor: string;
  erased_at: number;
  /** JSON counts of what was destroyed. No personal data. */
  detail: string;
}

export interface RetentionWatermarksTable {
  workspace_id: string;
  /** Messages created before this time have had their bodies purged (except those still in flight). */
  purged_before: number;
  updated_at: number;
}

/**
 * One-off conversions of existing rows that need keys (a migration has none): added by a migration,
 * run by the application at boot (`privacy/seal-legacy-data.ts`), `done_at` set when finished.
 */
export interface DataBackfillsTable {
  name: string;
  created_at: number;
  done_at: number | null;
}

// The tables this module owns, registered in the database type (`db/schema.ts`).
declare module '../db/schema.js' {
  interface Database {
    contact_erasures: ContactErasuresTable;
    data_backfills: DataBackfillsTable;
    retention_watermarks: RetentionWatermarksTable;
  }
}

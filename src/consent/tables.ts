/**
 * Tables of the consent ledger. Terminology is in `consent/types.ts`.
 * - consent_records: the ledger. Append-only (triggers refuse UPDATE and DELETE).
 * - consent_proofs: the encrypted proof of a record, one row per record that has proof; erasure
 *   deletes these (they hold IPs and user agents), never the ledger rows.
 */
export interface ConsentRecordsTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  purpose: string;
  channel: string;
  status: string;
  source: string;
  effective_at: number;
  recorded_at: number;
  wording: string | null;
  /** JSON Actor. */
  actor: string;
  /** Makes a record idempotent: unique per workspace (an inbound message id for opt-outs, a client key for API calls). */
  dedup_key: string | null;
}

export interface ConsentProofsTable {
  record_id: string;
  workspace_id: string;
  contact_id: string;
  /** Encrypted JSON ConsentProof. */
  proof: string;
}

// The tables this module owns, registered in the database type (`db/schema.ts`).
declare module '../db/schema.js' {
  interface Database {
    consent_records: ConsentRecordsTable;
    consent_proofs: ConsentProofsTable;
  }
}

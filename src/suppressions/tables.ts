/**
 * Terminology
 * - suppression: a contact Parley will not message (scope `all`) or not market to (scope
 *   `marketing`), recorded after a provider's permanent answer about the number (undeliverable
 *   numbers, blocks, provider opt-out signals such as 131050). One row per workspace, contact and
 *   scope; `expires_at` null means until lifted.
 */
export interface SuppressionsTable {
  workspace_id: string;
  contact_id: string;
  scope: 'all' | 'marketing';
  reason: string;
  created_at: number;
  expires_at: number | null;
}

/** The part of the database this module reads and writes. */
export interface SuppressionsSchema {
  suppressions: SuppressionsTable;
}

// The tables this module owns, registered in the database type (`db/schema.ts`).
declare module '../db/schema.js' {
  interface Database {
    suppressions: SuppressionsTable;
  }
}

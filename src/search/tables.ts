/**
 * Terminology
 * - term: a word of a name or a message, normalised (`terms.ts`: accents stripped, lower case, split on
 *   anything that is not a letter or a digit, at least two characters).
 * - blind index: the keyed hashes of terms (`term-hashes.ts`, the workspace's lookup key), so a
 *   search finds rows without the name or the words being stored in clear.
 * - name term: a term of a contact's name or one of its prefixes (at least two characters), so "ana"
 *   finds "Anabel". Message terms are whole words only.
 * - watermark: how far the indexer has walked a source (`messages` by creation, `contacts` by their
 *   last change) per workspace, with a lease so two workers do not walk the same workspace at once.
 */
export interface SearchNameTermsTable {
  workspace_id: string;
  contact_id: string;
  term_hash: string;
}

export interface SearchMessageTermsTable {
  workspace_id: string;
  message_id: string;
  /** The message's contact (moved to the survivor when its contact is merged) and sender: what its conversations are found by. */
  contact_id: string;
  sender_id: string;
  term_hash: string;
  message_created_at: number;
}

export interface SearchWatermarksTable {
  workspace_id: string;
  /** `messages` | `contacts`. */
  source: string;
  /** The last row indexed: its time (creation or last change) and id. */
  after_at: number;
  after_id: string;
  /** The worker walking this source now, until `lease_until`. */
  lease_owner: string | null;
  lease_until: number;
  updated_at: number;
}

/** The part of the database this module reads and writes. */
export interface SearchTables {
  search_name_terms: SearchNameTermsTable;
  search_message_terms: SearchMessageTermsTable;
  search_watermarks: SearchWatermarksTable;
}

// The tables this module owns, registered in the database type (`db/schema.ts`).
declare module '../db/schema.js' {
  interface Database {
    search_name_terms: SearchNameTermsTable;
    search_message_terms: SearchMessageTermsTable;
    search_watermarks: SearchWatermarksTable;
  }
}

/**
 * Terminology
 * - contact: one person in one workspace. Personal fields are encrypted (`crypto/keyring.ts`);
 *   `*_hash` columns are keyed hashes for lookup and uniqueness.
 * - phone: E.164 (`+5511987654321`). wa_id: WhatsApp's id for the user, usually the number without
 *   `+`, but it may differ from the dialled number (Brazil's 9th digit, number changes).
 * - identity: the canonical form of a phone number (`contacts/phone-equivalence.ts`): numbers that
 *   reach the same person (Brazil's 9th digit, Mexico's old `1`, Argentina's `9`) share it. `phone`
 *   stores the canonical number and `phone_hash` is the keyed hash of it, so the unique
 *   (workspace, phone_hash) index makes "one person, one contact" a schema fact.
 * - merged_into: set when this contact was merged into another (the survivor); lookups follow it.
 *   A merged contact keeps its row and its history; merges are logged in `contact_merges`.
 * - erased: personal fields destroyed on request (`privacy/erase-contact.ts`); the row stays so
 *   aggregate counts and the erasure log still point at something.
 * - tags / attributes: stored as JSON on the contact, encrypted with the workspace's data key (what
 *   reads return), and mirrored one row per tag / attribute in `contact_tags` / `contact_attributes`
 *   as keyed hashes (what search and segments match on: `contacts/contact-hashes.ts`).
 */
export interface ContactsTable {
  id: string;
  workspace_id: string;
  phone_hash: string | null;
  phone: string | null;
  wa_id_hash: string | null;
  wa_id: string | null;
  name: string | null;
  email_hash: string | null;
  email: string | null;
  language: string | null;
  time_zone: string | null;
  /** ISO 3166-1 alpha-2 country of the phone number. */
  country: string | null;
  /** JSON object of custom attributes, encrypted (`v1.…`; clear JSON only in rows not yet converted). */
  attributes: string;
  /** JSON array of tags, encrypted like `attributes`. */
  tags: string;
  merged_into: string | null;
  erased_at: number | null;
  created_at: number;
  updated_at: number;
}

/** One row per tag of a contact: the search index behind `GET /v1/contacts?tag=`. */
export interface ContactTagsTable {
  contact_id: string;
  workspace_id: string;
  /** Keyed hash of the tag (`tagHash`). */
  tag_hash: string;
}

/** One row per scalar attribute of a contact: the search index behind `?attribute=key=value`. */
export interface ContactAttributesTable {
  contact_id: string;
  workspace_id: string;
  key: string;
  /** Keyed hash of key and value as text (`attributeValueHash`). */
  value_hash: string;
}

/** Append-only log of merges: who folded which contact into which, and what moved. */
export interface ContactMergesTable {
  id: string;
  workspace_id: string;
  survivor_id: string;
  merged_id: string;
  /** JSON actor (`consent/types.ts` Actor). */
  actor: string;
  merged_at: number;
  /** JSON: counts of what moved (messages, service windows). */
  detail: string;
}

// The tables this module owns, registered in the database type (`db/schema.ts`).
declare module '../db/schema.js' {
  interface Database {
    contacts: ContactsTable;
    contact_tags: ContactTagsTable;
    contact_attributes: ContactAttributesTable;
    contact_merges: ContactMergesTable;
  }
}

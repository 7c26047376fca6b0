/**
 * Terminology
 * - contact: one person in one workspace. Personal fields are encrypted (`crypto/keyring.ts`);
 *   `*_hash` columns are keyed hashes for lookup and uniqueness.
 * - phone: E.164 (`+5511987654321`). wa_id: WhatsApp's id for the user, usually the number without
 *   `+`, but it may differ from the dialled number (Brazil's 9th digit, number changes).
 * - merged_into: set when this contact was merged into another; lookups follow it.
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
  /** JSON object of custom attributes. */
  attributes: string;
  /** JSON array of tags. */
  tags: string;
  merged_into: string | null;
  erased_at: number | null;
  created_at: number;
  updated_at: number;
}

/** The last inbound message per sender × contact: the 24-hour customer-service window opens from it. */
export interface ServiceWindowsTable {
  sender_id: string;
  contact_id: string;
  last_inbound_at: number;
}

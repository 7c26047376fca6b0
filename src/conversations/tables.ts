/**
 * Terminology
 * - service window (Meta: customer-service window): the 24 hours after a customer's last message to
 *   one sender, in which that sender may send free-form messages; outside it only templates. The rule
 *   is `service-window.ts`; this module owns the table it is computed from.
 * - last_inbound_at: the time of the customer's latest message to the sender, in ms since the epoch.
 *   It only moves forward on an inbound message; it moves back only when the provider reports the
 *   window closed (to the latest time consistent with that report).
 */

/** The last inbound message per sender × contact: the 24-hour customer-service window opens from it. */
export interface ServiceWindowsTable {
  sender_id: string;
  contact_id: string;
  last_inbound_at: number;
}

/** The tables this module owns, as Kysely sees them. */
export interface ConversationsTables {
  service_windows: ServiceWindowsTable;
}

// The tables this module owns, registered in the database type (`db/schema.ts`).
declare module '../db/schema.js' {
  interface Database {
    service_windows: ServiceWindowsTable;
  }
}

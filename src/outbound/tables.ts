/**
 * Terminology
 * - dispatcher: the background worker that claims queued messages and calls providers.
 * - lease: the right of one dispatcher to send for one sender. The holder keeps that sender's token
 *   bucket and per-recipient pacing in memory; a lease not renewed before `expires_at` is taken over.
 * - tier usage: unique recipients reached per business portfolio in a rolling 24 h outside the service
 *   window (Meta's messaging limit). A send that would exceed it is held, not failed.
 */
export interface DispatchWorkersTable {
  id: string;
  heartbeat_at: number;
  started_at: number;
}

export interface SenderLeasesTable {
  sender_id: string;
  holder: string;
  acquired_at: number;
  expires_at: number;
}

export interface TierUsageTable {
  portfolio_id: string;
  contact_id: string;
  first_sent_at: number;
}

// The tables this module owns, registered in the database type (`db/schema.ts`).
declare module '../db/schema.js' {
  interface Database {
    dispatch_workers: DispatchWorkersTable;
    sender_leases: SenderLeasesTable;
    tier_usage: TierUsageTable;
  }
}

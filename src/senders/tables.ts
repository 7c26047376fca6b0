import type { ProviderName } from '../channels/provider-name.js';
import type { ColumnType } from 'kysely';

/**
 * Terminology
 * - sender: one business WhatsApp number Parley sends from, through one provider.
 * - provider `cloud`: Meta's Cloud API (Graph API). Identified by its phone number id under a WABA.
 * - provider `ultramsg`: UltraMsg, a gateway driving a linked WhatsApp account. Identified by its instance id.
 * - settings: what only the provider uses (the phone number id and Graph version, the instance id), one
 *   JSON column typed by the provider's schema (`channels/<provider>/settings.ts`); a new provider adds
 *   settings there, not columns. `number_key` and `waba_id` are the columns lookups filter on.
 * - base URL: where the provider answers (`https://graph.facebook.com`, `https://api.ultramsg.com`, or the emulator).
 * - mps: the number's throughput cap, messages per second.
 * - messaging limit: unique recipients per rolling 24 h outside the service window, shared by the
 *   numbers of one business portfolio (`portfolio_id`); null means unlimited.
 */
export interface SendersTable {
  id: string;
  workspace_id: string;
  name: string;
  provider: ProviderName;
  base_url: string;
  /**
   * The provider's own settings as JSON, checked against its schema (`channels/<provider>/settings.ts`)
   * when written and when read (`toSender`): Cloud API `{ phoneNumberId, graphVersion }`, UltraMsg
   * `{ instanceId }`.
   */
  settings: ColumnType<string, string | undefined, string>;
  /**
   * The WABA (WhatsApp Business Account) whose templates the sender uses: a Cloud API number's own,
   * or one an UltraMsg sender names for its templates' text. A column, not a setting, because
   * template management looks senders up by it (decision 0014).
   */
  waba_id: string | null;
  /**
   * `cloud:<phone_number_id>` or `ultramsg:<instance id>` (`channels/sender-identity.ts`), unique across workspaces:
   * webhooks are routed by that id alone. Null only for duplicates disabled by migration 0009.
   */
  number_key: ColumnType<string | null, string | null | undefined, string | null>;
  display_phone: string | null;
  /** Encrypted JSON: `{ accessToken }` (cloud) or `{ token }` (ultramsg). Never returned or logged. */
  credentials: string;
  /** Encrypted secret that authenticates this sender's inbound webhooks where the provider does not sign (UltraMsg). */
  webhook_secret: string | null;
  mps: number;
  messaging_limit: number | null;
  portfolio_id: string;
  status: 'active' | 'disabled';
  quality: string | null;
  created_at: number;
  updated_at: number;
}

/**
 * The health of one sender as the dispatcher holding its lease last saw it (written on changes only):
 * - ok: sending normally.
 * - degraded: the provider fails a noticeable share of calls with outage-class errors; still sending.
 * - unreachable: the circuit breaker is open; messages wait in the queue, probes test the provider.
 * - unauthenticated: the UltraMsg instance's session is not authenticated (logged out and waiting for a
 *   QR scan, phone offline, loading): its messages are held in the queue until it is authenticated again.
 * - paused: the sender is disabled; nothing is sent for it.
 */
export interface SenderHealthTable {
  sender_id: string;
  workspace_id: string;
  state: 'ok' | 'degraded' | 'unreachable' | 'unauthenticated' | 'paused';
  reason: string | null;
  since: number;
  /** The dispatcher worker that recorded the state. */
  updated_by: string | null;
}

// The tables this module owns, registered in the database type (`db/schema.ts`).
declare module '../db/schema.js' {
  interface Database {
    senders: SendersTable;
    sender_health: SenderHealthTable;
  }
}

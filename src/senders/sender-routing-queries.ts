import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import { parseSenderSettings, type ProviderSettings } from '../channels/sender-identity.js';
import type { ProviderName } from '../channels/provider-name.js';
import type { SenderCommon } from './sender-queries.js';
import type { SendersTable } from './tables.js';

/** What webhook processing needs to know about a sender number (its provider settings read as `toSender` reads them). */
export type RoutedSender = Pick<SenderCommon, 'id' | 'workspaceId' | 'baseUrl' | 'wabaId' | 'displayPhone'> & ProviderSettings;

/** A routed sender with its webhook secret as stored (sealed; null when it has none). */
export type RoutedSenderRecord = RoutedSender & { sealedWebhookSecret: string | null };

const COLUMNS = ['id', 'workspace_id', 'provider', 'base_url', 'settings', 'waba_id', 'display_phone', 'webhook_secret'] as const;

const toRouted = (row: Pick<Selectable<SendersTable>, (typeof COLUMNS)[number]>): RoutedSenderRecord => ({
  id: row.id,
  workspaceId: row.workspace_id,
  ...parseSenderSettings(row.provider, JSON.parse(row.settings)),
  baseUrl: row.base_url,
  wabaId: row.waba_id,
  displayPhone: row.display_phone,
  sealedWebhookSecret: row.webhook_secret,
});

/** The oldest sender stored under one of `numberKeys` (`senders.number_key`), for routing a webhook. */
export async function findSenderByNumberKeys(db: Db, numberKeys: readonly string[]): Promise<RoutedSenderRecord | undefined> {
  if (numberKeys.length === 0) return undefined;
  const row = await db.selectFrom('senders').select(COLUMNS).where('number_key', 'in', numberKeys).orderBy('created_at').executeTakeFirst();
  return row && toRouted(row);
}

export async function findRoutedSender(db: Db, senderId: string): Promise<RoutedSenderRecord | undefined> {
  const row = await db.selectFrom('senders').select(COLUMNS).where('id', '=', senderId).executeTakeFirst();
  return row && toRouted(row);
}

/** The senders of `providers` that have a display number (phone number quality updates name numbers so). */
export async function listSendersWithDisplayPhone(db: Db, providers: readonly ProviderName[]): Promise<RoutedSenderRecord[]> {
  if (providers.length === 0) return [];
  const rows = await db.selectFrom('senders').select(COLUMNS).where('provider', 'in', providers).where('display_phone', 'is not', null).execute();
  return rows.map(toRouted);
}

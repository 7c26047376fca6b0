import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Clock } from '../shared/time.js';
import { SECOND } from '../shared/time.js';
import { normalizeInstanceId, numberKeysFor, providersNumberedBy, parseSenderSettings, type ProviderSettings } from '../channels/sender-identity.js';
import type { SenderCommon } from '../senders/sender-queries.js';
import type { SendersTable } from '../senders/tables.js';
import type { Selectable } from 'kysely';

/** What webhook processing needs to know about a sender number (its provider settings read as `toSender` reads them). */
export type RoutedSender = Pick<SenderCommon, 'id' | 'workspaceId' | 'baseUrl' | 'wabaId' | 'displayPhone'> & ProviderSettings;

type SenderRow = Pick<Selectable<SendersTable>, (typeof COLUMNS)[number]>;

const COLUMNS = ['id', 'workspace_id', 'provider', 'base_url', 'settings', 'waba_id', 'display_phone', 'webhook_secret', 'status'] as const;

const toRouted = (row: SenderRow): RoutedSender => ({
  id: row.id,
  workspaceId: row.workspace_id,
  ...parseSenderSettings(row.provider, JSON.parse(row.settings)),
  baseUrl: row.base_url,
  wabaId: row.waba_id,
  displayPhone: row.display_phone,
});

const digits = (value: string | null | undefined) => (value ?? '').replace(/\D/g, '');

/**
 * Finds the sender a webhook is for: by `phone_number_id` (Cloud API) or by instance id (UltraMsg),
 * among the senders of the providers that name their numbers so (`providersNumberedBy`).
 * Found senders are cached briefly (every delivery needs one); misses are not, so a sender added
 * a moment ago is found by the next delivery.
 */
export class SenderDirectory {
  static readonly TTL = 10 * SECOND;
  readonly #db: Db;
  readonly #keyring: Keyring;
  readonly #clock: Clock;
  readonly #cache = new Map<string, { at: number; value: unknown }>();

  constructor(db: Db, keyring: Keyring, clock: Clock) {
    this.#db = db;
    this.#keyring = keyring;
    this.#clock = clock;
  }

  async #cached<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const now = this.#clock.now();
    const hit = this.#cache.get(key);
    if (hit && now - hit.at < SenderDirectory.TTL) return hit.value as T;
    const value = await load();
    if (value !== undefined) this.#cache.set(key, { at: now, value });
    else this.#cache.delete(key);
    return value;
  }

  byPhoneNumberId(phoneNumberId: string): Promise<RoutedSender | undefined> {
    return this.#cached(`cloud:${phoneNumberId}`, async () => {
      const row = await this.#db.selectFrom('senders').select(COLUMNS).where('number_key', 'in', numberKeysFor('phoneNumberId', phoneNumberId)).orderBy('created_at').executeTakeFirst();
      return row ? toRouted(row) : undefined;
    });
  }

  byId(senderId: string): Promise<RoutedSender | undefined> {
    return this.#cached(`id:${senderId}`, async () => {
      const row = await this.#db.selectFrom('senders').select(COLUMNS).where('id', '=', senderId).executeTakeFirst();
      return row ? toRouted(row) : undefined;
    });
  }

  /** The sender of an (UltraMsg) instance, with its webhook secret decrypted (undefined when it has none). */
  byInstanceId(instanceId: string): Promise<(RoutedSender & { webhookSecret?: string }) | undefined> {
    const id = normalizeInstanceId(instanceId);
    return this.#cached(`ultramsg:${id}`, async () => {
      const row = await this.#db
        .selectFrom('senders')
        .select(COLUMNS)
        .where('number_key', 'in', numberKeysFor('instanceId', id))
        .orderBy('created_at')
        .executeTakeFirst();
      if (!row) return undefined;
      const webhookSecret = row.webhook_secret ? await this.#keyring.decrypt(row.workspace_id, row.webhook_secret) : undefined;
      return { ...toRouted(row), webhookSecret };
    });
  }

  /** Senders of a WABA whose display number matches (phone number quality updates name only those). */
  async byDisplayPhone(wabaId: string, displayPhone: string): Promise<RoutedSender | undefined> {
    const rows = await this.#db.selectFrom('senders').select(COLUMNS).where('provider', 'in', providersNumberedBy('phoneNumberId')).where('display_phone', 'is not', null).execute();
    const wanted = digits(displayPhone);
    const matches = rows.filter((row) => digits(row.display_phone) === wanted);
    const row = matches.find((r) => r.waba_id === wabaId) ?? matches[0];
    return row ? toRouted(row) : undefined;
  }
}

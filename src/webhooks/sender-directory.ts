import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Clock } from '../shared/time.js';
import { SECOND } from '../shared/time.js';
import { normalizeInstanceId, numberKeysFor, providersNumberedBy } from '../channels/sender-identity.js';
import { findRoutedSender, findSenderByNumberKeys, listSendersWithDisplayPhone, type RoutedSender, type RoutedSenderRecord } from '../senders/sender-routing-queries.js';

export type { RoutedSender };

/** The record without its sealed secret: what the directory hands out. */
const routed = ({ sealedWebhookSecret: _sealed, ...sender }: RoutedSenderRecord): RoutedSender => sender;

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
      const found = await findSenderByNumberKeys(this.#db, numberKeysFor('phoneNumberId', phoneNumberId));
      return found && routed(found);
    });
  }

  byId(senderId: string): Promise<RoutedSender | undefined> {
    return this.#cached(`id:${senderId}`, async () => {
      const found = await findRoutedSender(this.#db, senderId);
      return found && routed(found);
    });
  }

  /** The sender of an (UltraMsg) instance, with its webhook secret decrypted (undefined when it has none). */
  byInstanceId(instanceId: string): Promise<(RoutedSender & { webhookSecret?: string }) | undefined> {
    const id = normalizeInstanceId(instanceId);
    return this.#cached(`ultramsg:${id}`, async () => {
      const found = await findSenderByNumberKeys(this.#db, numberKeysFor('instanceId', id));
      if (!found) return undefined;
      const webhookSecret = found.sealedWebhookSecret ? await this.#keyring.decrypt(found.workspaceId, found.sealedWebhookSecret) : undefined;
      return { ...routed(found), webhookSecret };
    });
  }

  /** Senders of a WABA whose display number matches (phone number quality updates name only those). */
  async byDisplayPhone(wabaId: string, displayPhone: string): Promise<RoutedSender | undefined> {
    const senders = await listSendersWithDisplayPhone(this.#db, providersNumberedBy('phoneNumberId'));
    const wanted = digits(displayPhone);
    const matches = senders.filter((sender) => digits(sender.displayPhone) === wanted);
    const found = matches.find((sender) => sender.wabaId === wabaId) ?? matches[0];
    return found && routed(found);
  }
}

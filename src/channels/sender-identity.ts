import { normalizeInstanceId } from './ultramsg/webhook/parse-body.js';

/** UltraMsg instance ids without their optional `instance` prefix, as senders are routed by them. */
export { normalizeInstanceId };
import type { ProviderName } from './provider-name.js';
import { cloudSettingsFrom, parseCloudSettings, type CloudSettings } from './whatsapp-cloud/settings.js';
import { parseUltraMsgSettings, ultraMsgSettingsFrom, type UltraMsgSettings } from './ultramsg/settings.js';

export { InvalidSenderSettings } from './sender-settings.js';

/** Each provider's sender settings (`senders.settings`), as its `settings.ts` declares them. */
export interface SettingsByProvider {
  cloud: CloudSettings;
  ultramsg: UltraMsgSettings;
}

/** A provider with its settings: the part of a sender that depends on the provider, discriminated on `provider`. */
export type ProviderSettings = { [P in ProviderName]: { provider: P; settings: SettingsByProvider[P] } }[ProviderName];

/** A sender setting a provider needs, as the senders API names it. */
export type SenderSetting = 'phoneNumberId' | 'wabaId' | 'accessToken' | 'instanceId' | 'token';

/** What a provider's senders must carry, for the senders API and CLI to check and store it. */
export interface SenderSettingsRules {
  /** The settings a new sender of this provider needs, in the order they are checked. */
  required: readonly SenderSetting[];
  /** The setting that names the number at the provider (unique across workspaces), and its name in messages. */
  numberField: 'phoneNumberId' | 'instanceId';
  numberLabel: string;
  /** Whether the sender calls a versioned Graph API (`graphVersion`). */
  usesGraphVersion: boolean;
  /** The credentials stored (encrypted) for the sender. */
  credentials(input: { accessToken?: string; token?: string }): { accessToken?: string; token?: string };
  /** The provider's settings among the senders API's fields (only those with a value), validated; throws `InvalidSenderSettings`. */
  settingsFrom(input: SenderSettingsFields): object;
  /** Validates stored settings; throws `InvalidSenderSettings`. */
  parse(value: unknown): object;
  /** The id naming the number at the provider (Cloud API phone number id, UltraMsg instance id). */
  numberId(settings: object): string | undefined;
}

/** The sender settings as the senders API and CLI name them: every provider's, one field each. */
export interface SenderSettingsFields {
  graphVersion?: string | null;
  phoneNumberId?: string | null;
  instanceId?: string | null;
}

const SENDER_RULES: Readonly<Record<ProviderName, SenderSettingsRules>> = {
  cloud: {
    required: ['phoneNumberId', 'wabaId', 'accessToken'],
    numberField: 'phoneNumberId',
    numberLabel: 'Phone number id',
    usesGraphVersion: true,
    credentials: (input) => ({ accessToken: input.accessToken }),
    settingsFrom: cloudSettingsFrom,
    parse: parseCloudSettings,
    numberId: (settings) => (settings as CloudSettings).phoneNumberId,
  },
  ultramsg: {
    required: ['instanceId', 'token'],
    numberField: 'instanceId',
    numberLabel: 'UltraMsg instance',
    usesGraphVersion: false,
    credentials: (input) => ({ token: input.token }),
    settingsFrom: ultraMsgSettingsFrom,
    parse: parseUltraMsgSettings,
    numberId: (settings) => (settings as UltraMsgSettings).instanceId,
  },
};

export const senderRulesOf = (provider: ProviderName): SenderSettingsRules => SENDER_RULES[provider];

/** Stored settings (`senders.settings`, parsed JSON) checked against the provider's schema; throws `InvalidSenderSettings`. */
export const parseSenderSettings = (provider: ProviderName, value: unknown): ProviderSettings => ({ provider, settings: SENDER_RULES[provider].parse(value) }) as ProviderSettings;

/** A new sender's settings from the senders API's fields, through the provider's schema; throws `InvalidSenderSettings`. */
export const senderSettingsFrom = (provider: ProviderName, input: SenderSettingsFields): ProviderSettings => ({ provider, settings: SENDER_RULES[provider].settingsFrom(input) }) as ProviderSettings;

/** Settings with some fields changed (`undefined` keeps a field, null removes it), through the provider's schema; throws `InvalidSenderSettings`. */
export function changeSenderSettings(sender: ProviderSettings, change: SenderSettingsFields): ProviderSettings {
  const merged: Record<string, unknown> = { ...sender.settings };
  for (const [key, value] of Object.entries(change)) {
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  return parseSenderSettings(sender.provider, merged);
}

/** Every setting field of the senders API, null where the sender's provider has no such setting or it is unset. */
export function senderSettingsFields(sender: ProviderSettings): Required<{ [K in keyof SenderSettingsFields]: string | null }> {
  const settings = sender.settings as SenderSettingsFields;
  return { graphVersion: settings.graphVersion ?? null, phoneNumberId: settings.phoneNumberId ?? null, instanceId: settings.instanceId ?? null };
}

/** The id naming the sender's number at its provider (Cloud API phone number id, UltraMsg instance id), if set. */
export const senderNumberId = (sender: ProviderSettings): string | undefined => SENDER_RULES[sender.provider].numberId(sender.settings);

/**
 * The provider-side identity of a sender number, unique across all workspaces (`senders.number_key`):
 * webhooks are routed by the Cloud API phone number id or the UltraMsg instance id alone, so one
 * number can belong to one sender only. UltraMsg instance ids are compared without their optional
 * `instance` prefix, as the webhook router does.
 */
export function senderNumberKey(sender: ProviderSettings): string | null {
  const id = senderNumberId(sender)?.trim();
  if (!id) return null;
  if (sender.provider === 'ultramsg') {
    const instance = normalizeInstanceId(id);
    return instance ? `ultramsg:${instance}` : null;
  }
  return `${sender.provider}:${id}`;
}

/**
 * The providers whose senders are named at the provider by `field` (the Cloud API's phone number id,
 * UltraMsg's instance), for routing a webhook to its sender without naming the provider.
 */
export const providersNumberedBy = (field: SenderSettingsRules['numberField']): ProviderName[] =>
  (Object.keys(SENDER_RULES) as ProviderName[]).filter((provider) => SENDER_RULES[provider].numberField === field);

/**
 * The number keys (`senders.number_key`) a provider-side number id is stored under, for each provider
 * that names its numbers by `field`: a webhook is routed to its sender without naming the provider.
 */
export const numberKeysFor = (field: SenderSettingsRules['numberField'], id: string): string[] =>
  providersNumberedBy(field).flatMap((provider) => {
    const key = senderNumberKey({ provider, settings: { [field]: id } } as ProviderSettings);
    return key ? [key] : [];
  });

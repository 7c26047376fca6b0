import { normalizeInstanceId, parseUltraMsgBody } from './ultramsg/webhook/parse-body.js';
import { str } from './read-json.js';

/** UltraMsg instance ids without their optional `instance` prefix, as senders are routed by them. */
export { normalizeInstanceId };
import type { ProviderName } from './provider-name.js';

/**
 * The provider-side identity of a sender number, unique across all workspaces (`senders.number_key`):
 * webhooks are routed by the Cloud API phone number id or the UltraMsg instance id alone, so one
 * number can belong to one sender only. UltraMsg instance ids are compared without their optional
 * `instance` prefix, as the webhook router does.
 */
export function senderNumberKey(provider: ProviderName, phoneNumberId: string | null | undefined, instanceId: string | null | undefined): string | null {
  if (provider === 'cloud') return phoneNumberId ? `cloud:${phoneNumberId.trim()}` : null;
  const id = instanceId ? normalizeInstanceId(instanceId) : '';
  return id ? `ultramsg:${id}` : null;
}

/**
 * The UltraMsg instance an UltraMsg delivery names (`instanceId`), which picks the sender whose webhook
 * secret authenticates it; throws `PayloadError` when the body cannot be read.
 */
export const ultramsgDeliveryInstanceId = (body: Buffer, contentType: string | undefined): string | undefined => str(parseUltraMsgBody(body, contentType).instanceId);

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
}

const SENDER_RULES: Readonly<Record<ProviderName, SenderSettingsRules>> = {
  cloud: {
    required: ['phoneNumberId', 'wabaId', 'accessToken'],
    numberField: 'phoneNumberId',
    numberLabel: 'Phone number id',
    usesGraphVersion: true,
    credentials: (input) => ({ accessToken: input.accessToken }),
  },
  ultramsg: {
    required: ['instanceId', 'token'],
    numberField: 'instanceId',
    numberLabel: 'UltraMsg instance',
    usesGraphVersion: false,
    credentials: (input) => ({ token: input.token }),
  },
};

export const senderRulesOf = (provider: ProviderName): SenderSettingsRules => SENDER_RULES[provider];

/**
 * The providers whose senders are named at the provider by `field` (the Cloud API's phone number id,
 * UltraMsg's instance), for routing a webhook to its sender without naming the provider.
 */
export const providersNumberedBy = (field: SenderSettingsRules['numberField']): ProviderName[] =>
  (Object.keys(SENDER_RULES) as ProviderName[]).filter((provider) => SENDER_RULES[provider].numberField === field);

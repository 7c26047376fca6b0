import { Type, type Static } from '@sinclair/typebox';
import { definedSettings, parseSettings } from '../sender-settings.js';

/**
 * A Cloud API sender's settings (`senders.settings`): the phone number id it sends from and the Graph
 * API version it calls (absent: PARLEY_GRAPH_VERSION). The WABA is not among them: template management
 * looks senders up by it, so it is a column of its own (`senders.waba_id`, decision 0014).
 */
export const CloudSettingsSchema = Type.Object(
  {
    phoneNumberId: Type.Optional(Type.String({ minLength: 1 })),
    graphVersion: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

export type CloudSettings = Static<typeof CloudSettingsSchema>;

export const CLOUD_SETTING_KEYS = ['phoneNumberId', 'graphVersion'] as const;

/** Validates stored or submitted Cloud API settings; throws `InvalidSenderSettings`. */
export const parseCloudSettings = (value: unknown): CloudSettings => parseSettings(CloudSettingsSchema, 'cloud', value);

/** The Cloud API settings among the senders API's fields (only those with a value), validated. */
export const cloudSettingsFrom = (input: Partial<Record<(typeof CLOUD_SETTING_KEYS)[number], string | null | undefined>>): CloudSettings =>
  parseCloudSettings(definedSettings(input, CLOUD_SETTING_KEYS));

/** The settings of a sender the Cloud API adapter was handed (a sender of another provider is a programming error). */
export function cloudSettingsOf(sender: { provider: string; settings: object }): CloudSettings {
  if (sender.provider !== 'cloud') throw new Error(`A ${sender.provider} sender was handed to the Cloud API adapter.`);
  return sender.settings as CloudSettings;
}

import { Type, type Static } from '@sinclair/typebox';
import { definedSettings, parseSettings } from '../sender-settings.js';

/** An UltraMsg sender's settings (`senders.settings`): the instance it drives. */
export const UltraMsgSettingsSchema = Type.Object(
  {
    instanceId: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

export type UltraMsgSettings = Static<typeof UltraMsgSettingsSchema>;

export const ULTRAMSG_SETTING_KEYS = ['instanceId'] as const;

/** Validates stored or submitted UltraMsg settings; throws `InvalidSenderSettings`. */
export const parseUltraMsgSettings = (value: unknown): UltraMsgSettings => parseSettings(UltraMsgSettingsSchema, 'ultramsg', value);

/** The UltraMsg settings among the senders API's fields (only those with a value), validated. */
export const ultraMsgSettingsFrom = (input: Partial<Record<(typeof ULTRAMSG_SETTING_KEYS)[number], string | null | undefined>>): UltraMsgSettings =>
  parseUltraMsgSettings(definedSettings(input, ULTRAMSG_SETTING_KEYS));

/** The settings of a sender the UltraMsg adapter was handed (a sender of another provider is a programming error). */
export function ultraMsgSettingsOf(sender: { provider: string; settings: object }): UltraMsgSettings {
  if (sender.provider !== 'ultramsg') throw new Error(`A ${sender.provider} sender was handed to the UltraMsg adapter.`);
  return sender.settings as UltraMsgSettings;
}

/**
 * The providers Parley has a channel adapter for: the one place their names are spelled (stored in
 * `senders.provider` and `webhook_log.provider`, accepted by the senders API and CLI). A leaf file, so
 * tables can name it without importing the port. Adding a provider adds its name here and its adapter
 * to `registry.ts`.
 */
export const PROVIDER_NAMES = ['cloud', 'ultramsg'] as const;

export type ProviderName = (typeof PROVIDER_NAMES)[number];

export const isProviderName = (value: string): value is ProviderName => (PROVIDER_NAMES as readonly string[]).includes(value);

/** Each provider's name in messages to people (`a Cloud API sender`). */
const PROVIDER_LABELS: Readonly<Record<ProviderName, string>> = { cloud: 'Cloud API', ultramsg: 'UltraMsg' };

export const providerLabel = (provider: ProviderName): string => PROVIDER_LABELS[provider];

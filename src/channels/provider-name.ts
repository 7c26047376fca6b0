/**
 * The providers Parley has a channel adapter for: the one place their names are spelled as a type
 * (stored in `senders.provider` and `webhook_log.provider`). A leaf file, so tables can name it
 * without importing the port. Adding a provider adds its name here and its adapter to `registry.ts`.
 */
export type ProviderName = 'cloud' | 'ultramsg';

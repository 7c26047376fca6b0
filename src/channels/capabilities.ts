import type { ChannelCapabilities } from './port.js';
import { isProviderName, type ProviderName } from './provider-name.js';
import { CLOUD_CAPABILITIES } from './whatsapp-cloud/capabilities.js';
import { ULTRAMSG_CAPABILITIES } from './ultramsg/capabilities.js';

/**
 * Each provider's capabilities without building its adapter: for code that holds only a provider
 * name (a stored sender, a webhook item) and asks what the channel does, not which provider it is.
 */
const CAPABILITIES: Readonly<Record<ProviderName, ChannelCapabilities>> = {
  cloud: CLOUD_CAPABILITIES,
  ultramsg: ULTRAMSG_CAPABILITIES,
};

export const capabilitiesOf = (provider: ProviderName): ChannelCapabilities => CAPABILITIES[provider];

/**
 * `capabilitiesOf` for a provider name held as a plain string (a policy draft's, which the policy core
 * types loosely so that it imports nothing): a name Parley has no adapter for is a programming error.
 */
export function capabilitiesOfName(provider: string): ChannelCapabilities {
  if (!isProviderName(provider)) throw new Error(`No channel adapter is named ${provider}`);
  return CAPABILITIES[provider];
}

/** The providers whose capabilities pass `test` (e.g. those with provider templates), for filtering stored senders. */
export const providersWith = (test: (capabilities: ChannelCapabilities) => boolean): ProviderName[] =>
  (Object.keys(CAPABILITIES) as ProviderName[]).filter((provider) => test(CAPABILITIES[provider]));

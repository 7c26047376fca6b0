import type { ChannelAdapter } from './port.js';
import type { ProviderName } from './provider-name.js';
import type { HttpPools } from './http-pools.js';
import { CloudAdapter } from './whatsapp-cloud/index.js';
import { UltraMsgAdapter } from './ultramsg/index.js';

/**
 * The channel adapters of one process, by provider name. Code outside `channels/` finds an adapter
 * here (by provider or by sender) and asks it, instead of branching on the provider's name. Adding a
 * provider adds its name to `provider-name.ts` and one line to `createChannelRegistry`.
 */
export class ChannelRegistry {
  readonly #adapters: Readonly<Record<ProviderName, ChannelAdapter>>;

  constructor(adapters: Readonly<Record<ProviderName, ChannelAdapter>>) {
    this.#adapters = adapters;
  }

  byProvider(provider: ProviderName): ChannelAdapter {
    const adapter = this.#adapters[provider];
    if (!adapter) throw new Error(`No channel adapter for provider ${String(provider)}.`);
    return adapter;
  }

  forSender(sender: { provider: ProviderName }): ChannelAdapter {
    return this.byProvider(sender.provider);
  }

  all(): ChannelAdapter[] {
    return Object.values(this.#adapters);
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((adapter) => adapter.close()));
  }
}

/**
 * The real adapters over shared keep-alive pools (the caller owns and closes the pools); `adapters`
 * replaces some of them (tests give fakes that record sends).
 */
export function createChannelRegistry(pools: HttpPools, config: { graphVersion: string }, adapters: Partial<Record<ProviderName, ChannelAdapter>> = {}): ChannelRegistry {
  return new ChannelRegistry({
    cloud: adapters.cloud ?? new CloudAdapter(pools, config.graphVersion),
    ultramsg: adapters.ultramsg ?? new UltraMsgAdapter(pools),
  });
}

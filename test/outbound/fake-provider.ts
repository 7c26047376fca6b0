import type { OutboundRequest, ChannelAdapter, ChannelCapabilities, ProviderError, SendOutcome, StoredDelivery } from '../../src/channels/port.js';
import type { Sender, SenderCredentials } from '../../src/senders/sender-queries.js';
import { HttpPools } from '../../src/channels/http-pools.js';
import { CloudAdapter } from '../../src/channels/whatsapp-cloud/client/cloud-adapter.js';
import { UltraMsgAdapter } from '../../src/channels/ultramsg/client/ultramsg-adapter.js';

/**
 * A provider adapter for pipeline tests: records every call and answers from a script
 * (a function of the request and how many times that message was tried). Everything but sending
 * (capabilities, error classification, webhook reading, template rendering) is the real provider's adapter.
 */
export class FakeProvider implements ChannelAdapter {
  readonly provider: 'cloud' | 'ultramsg';
  readonly capabilities: ChannelCapabilities;
  readonly calls: Array<{ at: number; sender: string; request: OutboundRequest }> = [];
  readonly #tries = new Map<string, number>();
  readonly #real: ChannelAdapter;
  readonly renderTemplate?: ChannelAdapter['renderTemplate'];
  readonly webhookRoutes: ChannelAdapter['webhookRoutes'];
  script: (request: OutboundRequest, attempt: number) => SendOutcome | Promise<SendOutcome>;

  /** `capabilities` replaces some of the real provider's (a channel that differs from it only there). */
  constructor(provider: 'cloud' | 'ultramsg' = 'cloud', script?: FakeProvider['script'], capabilities: Partial<ChannelCapabilities> = {}) {
    this.provider = provider;
    // Never sends: its pools stay empty.
    this.#real = provider === 'cloud' ? new CloudAdapter(new HttpPools(1), 'v23.0') : new UltraMsgAdapter(new HttpPools(1));
    this.capabilities = { ...this.#real.capabilities, ...capabilities };
    this.webhookRoutes = this.#real.webhookRoutes;
    if (this.#real.renderTemplate) this.renderTemplate = this.#real.renderTemplate.bind(this.#real);
    this.script = script ?? ((request) => ({ ok: true, providerMessageId: `wamid.${request.messageId}` }));
  }

  classifyError(error: Pick<ProviderError, 'code' | 'title'>) {
    return this.#real.classifyError(error);
  }

  isOutage(error: Pick<ProviderError, 'code'>): boolean {
    return this.#real.isOutage(error);
  }

  normalizeDelivery(delivery: StoredDelivery) {
    return this.#real.normalizeDelivery(delivery);
  }

  async send(sender: Sender, _credentials: SenderCredentials, request: OutboundRequest): Promise<SendOutcome> {
    const attempt = (this.#tries.get(request.messageId) ?? 0) + 1;
    this.#tries.set(request.messageId, attempt);
    this.calls.push({ at: Date.now(), sender: sender.id, request });
    return this.script(request, attempt);
  }

  async close(): Promise<void> {}

  idsSent(): string[] {
    return this.calls.map((c) => c.request.messageId);
  }
}

export const waitFor = async (predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

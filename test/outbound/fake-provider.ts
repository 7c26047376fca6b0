import type { OutboundRequest, ChannelAdapter, ChannelCapabilities, ProviderError, SendOutcome } from '../../src/channels/port.js';
import { CLOUD_CAPABILITIES } from '../../src/channels/whatsapp-cloud/capabilities.js';
import { classifyCloudError, isCloudOutage } from '../../src/channels/whatsapp-cloud/errors.js';
import { ULTRAMSG_CAPABILITIES } from '../../src/channels/ultramsg/capabilities.js';
import { classifyUltraMsgError, isUltraMsgOutage } from '../../src/channels/ultramsg/errors.js';
import type { Sender, SenderCredentials } from '../../src/senders/sender-queries.js';

/**
 * A provider adapter for pipeline tests: records every call and answers from a script
 * (a function of the request and how many times that message was tried).
 */
export class FakeProvider implements ChannelAdapter {
  readonly provider: 'cloud' | 'ultramsg';
  /** The real provider's capabilities and error classification: only sending is faked. */
  readonly capabilities: ChannelCapabilities;
  readonly calls: Array<{ at: number; sender: string; request: OutboundRequest }> = [];
  readonly #tries = new Map<string, number>();
  script: (request: OutboundRequest, attempt: number) => SendOutcome | Promise<SendOutcome>;

  constructor(provider: 'cloud' | 'ultramsg' = 'cloud', script?: FakeProvider['script']) {
    this.provider = provider;
    this.capabilities = provider === 'cloud' ? CLOUD_CAPABILITIES : ULTRAMSG_CAPABILITIES;
    this.script = script ?? ((request) => ({ ok: true, providerMessageId: `wamid.${request.messageId}` }));
  }

  async send(sender: Sender, _credentials: SenderCredentials, request: OutboundRequest): Promise<SendOutcome> {
    const attempt = (this.#tries.get(request.messageId) ?? 0) + 1;
    this.#tries.set(request.messageId, attempt);
    this.calls.push({ at: Date.now(), sender: sender.id, request });
    return this.script(request, attempt);
  }

  classifyError(error: Pick<ProviderError, 'code' | 'title'>) {
    return this.provider === 'cloud' ? classifyCloudError(error) : classifyUltraMsgError(error);
  }

  isOutage(error: Pick<ProviderError, 'code'>): boolean {
    return this.provider === 'cloud' ? isCloudOutage(error) : isUltraMsgOutage(error);
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

import type { Sender, SenderCredentials } from '../../../senders/sender-queries.js';
import type { ListedMessage, OutboundRequest, ProviderAdapter, ProviderError, SendOutcome } from '../../provider.js';
import { ultramsgMaxRate } from '../pacing.js';
import { listUltramsgMessages, readUltramsgSendDelays } from './instance-reads.js';
import { HttpPools, readJsonBody, splitBaseUrl } from '../../http-pools.js';
import { networkError } from '../../whatsapp-cloud/client/cloud-adapter.js';
import { UnsupportedByUltramsg, ultramsgRequest } from './ultramsg-payload.js';

/**
 * Classifies UltraMsg's error bodies, which are free text (`{"error":"Wrong token..."}`) or a list of
 * field problems (`{"error":[{"to":"is required"}]}`), into stable codes the retry policy understands.
 */
export function parseUltramsgError(status: number, body: any): ProviderError {
  const raw = body?.error ?? body?.message;
  const text = Array.isArray(raw) ? raw.map((e) => Object.entries(e).map(([k, v]) => `${k} ${v}`).join(', ')).join('; ') : String(raw ?? `HTTP ${status}`);
  const lower = text.toLowerCase();
  let code = 'ultramsg_error';
  if (status === 401 || lower.includes('token')) code = 'ultramsg_auth';
  else if (status === 404 || lower.includes('instance not found')) code = 'ultramsg_instance';
  else if (lower.includes('stopped') || lower.includes('payment') || lower.includes('expired')) code = 'ultramsg_suspended';
  else if (status === 429) code = 'ultramsg_rate';
  else if (status >= 500) code = `http_${status}`;
  else if (Array.isArray(raw) || lower.includes('invalid') || lower.includes('required')) code = 'ultramsg_invalid';
  return { code, title: text, httpStatus: status };
}

/** UltraMsg over undici: form-encoded POST with the token in the body, as UltraMsg's own SDK does. */
export class UltramsgAdapter implements ProviderAdapter {
  readonly provider = 'ultramsg' as const;
  readonly #pools: HttpPools;

  constructor(pools: HttpPools) {
    this.#pools = pools;
  }

  async send(sender: Sender, credentials: SenderCredentials, request: OutboundRequest): Promise<SendOutcome> {
    let mapped;
    try {
      mapped = ultramsgRequest(request);
    } catch (error) {
      if (error instanceof UnsupportedByUltramsg) return { ok: false, error: { code: 'ultramsg_unsupported', title: error.message } };
      throw error;
    }
    const { origin, prefix } = splitBaseUrl(sender.baseUrl);
    try {
      const response = await this.#pools.get(origin).request({
        method: 'POST',
        path: `${prefix}/${sender.instanceId}/${mapped.endpoint}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: credentials.token ?? '', ...mapped.fields }).toString(),
      });
      const json = await readJsonBody(response.body);
      // UltraMsg may answer 200 with an error body: check the body, not only the status.
      const sent = json?.sent === true || json?.sent === 'true';
      if (response.statusCode < 300 && sent && json?.id !== undefined) return { ok: true, providerMessageId: String(json.id) };
      return { ok: false, error: parseUltramsgError(response.statusCode, json) };
    } catch (error) {
      return { ok: false, error: networkError(error) };
    }
  }

  /** One message per `sendDelay` of the instance (its settings; UltraMsg's default 1 s when they cannot be read). */
  async maxRate(sender: Sender, credentials: SenderCredentials): Promise<number> {
    try {
      return ultramsgMaxRate((await readUltramsgSendDelays(this.#pools, sender, credentials)).sendDelay);
    } catch {
      return ultramsgMaxRate(undefined);
    }
  }

  listByState(sender: Sender, credentials: SenderCredentials, state: string, page: number): Promise<{ messages: ListedMessage[]; pages: number }> {
    return listUltramsgMessages(this.#pools, sender, credentials, state, page);
  }

  async close(): Promise<void> {}
}

import type { Sender, SenderCredentials } from '../../sender.js';
import type { LinkedSession, ProviderError, SessionQrResult, SessionStatus, SessionStatusResult } from '../../port.js';
import { type HttpPools, readJsonBody } from '../../http-pools.js';
import { getInstancePath } from './instance-get.js';
import { networkError } from '../../whatsapp-cloud/client/cloud-adapter.js';
import { parseUltraMsgError } from './ultramsg-error.js';
import { instanceAttention } from '../instance-attention.js';
import { ultraMsgSettingsOf } from '../settings.js';

/**
 * The session of an UltraMsg instance (not its messages): `instance/status` and `instance/qr` over
 * undici, token in the query string as UltraMsg's SDKs send it.
 */
export class UltraMsgInstanceClient implements LinkedSession {
  readonly #pools: HttpPools;

  constructor(pools: HttpPools) {
    this.#pools = pools;
  }

  async status(sender: Sender, credentials: SenderCredentials): Promise<SessionStatusResult> {
    try {
      const response = await getInstancePath(this.#pools, sender, credentials, 'instance/status');
      const json = await readJsonBody(response.body);
      const account = json?.status?.accountStatus;
      if (response.statusCode < 300 && typeof account?.status === 'string') return { ok: true, status: { status: account.status, substatus: typeof account.substatus === 'string' ? account.substatus : '' } };
      return { ok: false, error: parseUltraMsgError(response.statusCode, json) };
    } catch (error) {
      return { ok: false, error: networkError(error) };
    }
  }

  async qr(sender: Sender, credentials: SenderCredentials): Promise<SessionQrResult> {
    try {
      const response = await getInstancePath(this.#pools, sender, credentials, 'instance/qr');
      const type = String(response.headers['content-type'] ?? '');
      if (response.statusCode < 300 && type.startsWith('image/')) return { ok: true, png: Buffer.from(await response.body.arrayBuffer()) };
      const json = await readJsonBody(response.body);
      // A 200 with `{"error": ...}`: UltraMsg answered, but the instance shows no QR code now.
      return { ok: false, error: parseUltraMsgError(response.statusCode, json), noQr: response.statusCode < 300 };
    } catch (error) {
      return { ok: false, error: networkError(error) };
    }
  }

  attention(status: SessionStatus, senderId: string): string | null {
    return instanceAttention(status, senderId);
  }

  sessionId(sender: Sender): string | null {
    return ultraMsgSettingsOf(sender).instanceId || null;
  }

  sessionLabel(sender: Sender): string {
    return `UltraMsg instance ${ultraMsgSettingsOf(sender).instanceId ?? ''}`;
  }

  refusesCredentials(error: ProviderError): boolean {
    return error.code === 'ultramsg_auth' || error.code === 'ultramsg_instance' || error.code === 'ultramsg_suspended';
  }
}

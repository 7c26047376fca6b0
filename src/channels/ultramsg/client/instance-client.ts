import type { Sender, SenderCredentials } from '../../../senders/sender-queries.js';
import type { ProviderError } from '../../port.js';
import { type HttpPools, readJsonBody } from '../../http-pools.js';
import { getInstancePath } from './instance-get.js';
import { networkError } from '../../whatsapp-cloud/client/cloud-adapter.js';
import { parseUltraMsgError } from './ultramsg-error.js';

/** An instance's session as `GET /{instance}/instance/status` reports it (`accountStatus`). */
export interface InstanceStatus {
  /** `authenticated`, `qr`, `loading`, `disconnected`, `standby`, `got qr code`, ... */
  status: string;
  substatus: string;
}

export type InstanceStatusResult = { ok: true; status: InstanceStatus } | { ok: false; error: ProviderError };

/** The QR code to scan (a PNG), or why there is none (`noQr`: UltraMsg answered, without an image). */
export type InstanceQrResult = { ok: true; png: Buffer } | { ok: false; error: ProviderError; noQr?: boolean };

/** The calls Parley makes about an UltraMsg instance's session (not about messages). */
export interface UltraMsgInstancePort {
  status(sender: Sender, credentials: SenderCredentials): Promise<InstanceStatusResult>;
  qr(sender: Sender, credentials: SenderCredentials): Promise<InstanceQrResult>;
}

/** `instance/status` and `instance/qr` over undici, token in the query string as UltraMsg's SDKs send it. */
export class UltraMsgInstanceClient implements UltraMsgInstancePort {
  readonly #pools: HttpPools;

  constructor(pools: HttpPools) {
    this.#pools = pools;
  }

  async status(sender: Sender, credentials: SenderCredentials): Promise<InstanceStatusResult> {
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

  async qr(sender: Sender, credentials: SenderCredentials): Promise<InstanceQrResult> {
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
}

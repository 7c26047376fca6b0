import type { Sender, SenderCredentials } from '../../sender.js';
import { type HttpPools, readJsonBody, splitBaseUrl } from '../../http-pools.js';
import { obj } from '../../read-json.js';
import { parseUltraMsgError } from './ultramsg-error.js';
import { ultraMsgSettingsOf } from '../settings.js';

/** An error answer to a read of an instance (the provider's error text only: list answers carry numbers and bodies). */
export class UltraMsgReadError extends Error {
  override readonly name = 'UltraMsgReadError';
}

/** `GET /{instance}/{path}` of an UltraMsg sender, the token in the query string as UltraMsg's SDKs send it on GET. */
export function getInstancePath(pools: HttpPools, sender: Sender, credentials: SenderCredentials, path: string, query: Record<string, string> = {}) {
  const { origin, prefix } = splitBaseUrl(sender.baseUrl);
  const qs = new URLSearchParams({ token: credentials.token ?? '', ...query });
  return pools.get(origin).request({ method: 'GET', path: `${prefix}/${ultraMsgSettingsOf(sender).instanceId}/${path}?${qs}` });
}

/** The JSON answer of `getInstancePath`; throws `UltraMsgReadError` when UltraMsg answers an error. */
export async function readInstanceJson(pools: HttpPools, sender: Sender, credentials: SenderCredentials, path: string, query: Record<string, string> = {}): Promise<any> {
  const response = await getInstancePath(pools, sender, credentials, path, query);
  const json = await readJsonBody(response.body);
  if (response.statusCode >= 300 || obj(json)?.error !== undefined) {
    throw new UltraMsgReadError(`UltraMsg ${path} answered HTTP ${response.statusCode}: ${parseUltraMsgError(response.statusCode, json).title.slice(0, 200)}`);
  }
  return json;
}

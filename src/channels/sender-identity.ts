import { normalizeInstanceId, parseUltraMsgBody } from './ultramsg/webhook/parse-body.js';
import { str } from './read-json.js';

/** UltraMsg instance ids without their optional `instance` prefix, as senders are routed by them. */
export { normalizeInstanceId };
import type { ProviderName } from './provider-name.js';

/**
 * The provider-side identity of a sender number, unique across all workspaces (`senders.number_key`):
 * webhooks are routed by the Cloud API phone number id or the UltraMsg instance id alone, so one
 * number can belong to one sender only. UltraMsg instance ids are compared without their optional
 * `instance` prefix, as the webhook router does.
 */
export function senderNumberKey(provider: ProviderName, phoneNumberId: string | null | undefined, instanceId: string | null | undefined): string | null {
  if (provider === 'cloud') return phoneNumberId ? `cloud:${phoneNumberId.trim()}` : null;
  const id = instanceId ? normalizeInstanceId(instanceId) : '';
  return id ? `ultramsg:${id}` : null;
}

/**
 * The UltraMsg instance an UltraMsg delivery names (`instanceId`), which picks the sender whose webhook
 * secret authenticates it; throws `PayloadError` when the body cannot be read.
 */
export const ultramsgDeliveryInstanceId = (body: Buffer, contentType: string | undefined): string | undefined => str(parseUltraMsgBody(body, contentType).instanceId);

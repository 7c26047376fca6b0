import type { SenderRoute, StatusItem, WebhookItem } from '../../webhook-items.js';
import { obj, secondsToMs, str } from '../../read-json.js';
import { PROVIDER_STATUSES, type ProviderStatus } from '../../../messages/status.js';
import { normalizeErrors } from './normalize-error.js';

const isProviderStatus = (value: string): value is ProviderStatus => (PROVIDER_STATUSES as readonly string[]).includes(value);

/** One `value.statuses[]` element. Meta's status words are Parley's (sent, delivered, read, failed). */
export function normalizeStatus(raw: unknown, route: SenderRoute, receivedAt: number, position: string): WebhookItem {
  const status = obj(raw);
  const id = str(status?.id);
  const word = str(status?.status);
  if (!status || !id || !word) return { kind: 'invalid', key: `status#${position}`, reason: 'a status without an id or status' };
  // Statuses Parley does not model (a played voice note, future words) are kept in the log, not applied.
  if (!isProviderStatus(word)) return { kind: 'ignored', key: `status:${word}`, providerMessageId: id, reason: `status "${word}" is not one Parley tracks` };
  const parleyMessageId = str(status.biz_opaque_callback_data);
  const pricing = obj(status.pricing);
  const conversation = obj(status.conversation);
  const item: StatusItem = {
    kind: 'status',
    provider: 'cloud',
    route,
    providerMessageId: id,
    providerStatus: word,
    status: word,
    at: secondsToMs(status.timestamp) ?? receivedAt,
    errors: normalizeErrors(status.errors),
  };
  if (parleyMessageId) item.parleyMessageId = parleyMessageId;
  if (pricing) item.pricing = pricing;
  if (conversation) item.conversation = conversation;
  return item;
}

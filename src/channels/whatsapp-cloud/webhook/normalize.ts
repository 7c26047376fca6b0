import { PayloadError, type SenderRoute, type WebhookItem } from '../../webhook-items.js';
import { arr, compact, obj, secondsToMs, str, type JsonObject } from '../../read-json.js';
import { normalizeErrors } from './normalize-error.js';
import { normalizeMessage } from './normalize-message.js';
import { normalizeStatus } from './normalize-status.js';
import { parseJsonKeepingLongIntegers } from './parse-json.js';

function templateItems(field: string, value: JsonObject, wabaId: string, at: number): WebhookItem[] {
  const name = str(value.message_template_name);
  const language = str(value.message_template_language);
  if (!name || !language) return [{ kind: 'invalid', key: `${field}:${wabaId}`, reason: 'a template update without a name or language' }];
  const templateId = str(value.message_template_id);
  if (field === 'message_template_quality_update') {
    const score = str(value.new_quality_score);
    if (!score) return [{ kind: 'invalid', key: `${field}:${templateId ?? name}`, reason: 'a quality update without new_quality_score' }];
    return [compact({ kind: 'template_update' as const, update: 'quality' as const, wabaId, templateId, name, language, event: score, previous: str(value.previous_quality_score), detail: {}, at })];
  }
  const event = str(value.event);
  if (!event) return [{ kind: 'invalid', key: `${field}:${templateId ?? name}`, reason: 'a template status update without an event' }];
  const detail = compact({ rejectionInfo: obj(value.rejection_info), otherInfo: obj(value.other_info), disableInfo: obj(value.disable_info) });
  return [
    compact({
      kind: 'template_update' as const,
      update: 'status' as const,
      wabaId,
      templateId,
      name,
      language,
      event,
      // Meta sends reason null when a template is scheduled for deletion.
      reason: value.reason === null ? null : str(value.reason),
      category: str(value.message_template_category),
      detail,
      at,
    }),
  ];
}

function messagesItems(value: JsonObject, receivedAt: number, at: number, position: string): WebhookItem[] {
  const phoneNumberId = str(obj(value.metadata)?.phone_number_id);
  if (!phoneNumberId) return [{ kind: 'invalid', key: `messages#${position}`, reason: 'value.metadata.phone_number_id is missing, so the sender number is unknown' }];
  const route: SenderRoute = { phoneNumberId };
  const names = new Map<string, string>();
  for (const raw of arr(value.contacts)) {
    const contact = obj(raw);
    const waId = str(contact?.wa_id);
    const name = str(obj(contact?.profile)?.name);
    if (waId && name) names.set(waId, name);
  }
  const items: WebhookItem[] = [];
  arr(value.messages).forEach((m, i) => items.push(normalizeMessage(m, route, names, receivedAt, `${position}.m${i}`)));
  arr(value.statuses).forEach((s, i) => items.push(normalizeStatus(s, route, receivedAt, `${position}.s${i}`)));
  // Positions are numbered over the whole delivery once every entry is read.
  for (const error of normalizeErrors(value.errors)) items.push({ kind: 'provider_error', provider: 'cloud', route, error, position: -1, at });
  return items;
}

function userPreferenceItems(value: JsonObject, receivedAt: number, position: string): WebhookItem[] {
  const phoneNumberId = str(obj(value.metadata)?.phone_number_id);
  if (!phoneNumberId) return [{ kind: 'invalid', key: `user_preferences#${position}`, reason: 'value.metadata.phone_number_id is missing' }];
  const items: WebhookItem[] = [];
  for (const raw of arr(value.user_preferences)) {
    const pref = obj(raw);
    const waId = str(pref?.wa_id);
    const category = str(pref?.category);
    const choice = str(pref?.value);
    if (!waId || !category || !choice) {
      items.push({ kind: 'invalid', key: `user_preferences#${position}`, reason: 'a user preference without wa_id, category or value' });
      continue;
    }
    items.push({ kind: 'user_preference', route: { phoneNumberId }, waId, category, value: choice, at: secondsToMs(pref?.timestamp) ?? receivedAt });
  }
  return items;
}

/**
 * A Cloud API delivery (`object: whatsapp_business_account`) as items. Every `entry[]` and
 * `changes[]` is visited; an unknown field or message type becomes an ignored item or a kept raw
 * message, never an error for the rest. Throws PayloadError only when the body is not such a delivery.
 */
export function normalizeCloudDelivery(body: Buffer, receivedAt: number): WebhookItem[] {
  let payload: unknown;
  try {
    payload = parseJsonKeepingLongIntegers(body.toString('utf8'));
  } catch (error) {
    throw new PayloadError(`The body is not valid JSON: ${(error as Error).message}`);
  }
  const root = obj(payload);
  if (!root) throw new PayloadError('The body is not a JSON object.');
  if (root.object !== 'whatsapp_business_account') throw new PayloadError(`Unexpected object ${JSON.stringify(root.object ?? null)}: only whatsapp_business_account deliveries are handled here.`);
  if (!Array.isArray(root.entry)) throw new PayloadError('The delivery has no entry[] array.');
  const items: WebhookItem[] = [];
  root.entry.forEach((rawEntry, e) => {
    const entry = obj(rawEntry);
    const wabaId = str(entry?.id) ?? 'unknown';
    const at = secondsToMs(entry?.time) ?? receivedAt;
    arr(entry?.changes).forEach((rawChange, c) => {
      const change = obj(rawChange);
      const field = str(change?.field) ?? 'unknown';
      const value = obj(change?.value);
      const position = `${e}.${c}`;
      if (!value) {
        items.push({ kind: 'invalid', key: `${field}#${position}`, reason: 'a change without a value object' });
        return;
      }
      switch (field) {
        case 'messages':
          items.push(...messagesItems(value, receivedAt, at, position));
          return;
        case 'message_template_status_update':
        case 'message_template_quality_update':
          items.push(...templateItems(field, value, wabaId, at));
          return;
        case 'phone_number_quality_update': {
          const displayPhone = str(value.display_phone_number);
          const event = str(value.event);
          if (!displayPhone || !event) items.push({ kind: 'invalid', key: `${field}#${position}`, reason: 'a phone number update without display_phone_number or event' });
          else {
            const detail = compact({ oldLimit: str(value.old_limit), maxDailyConversationsPerBusiness: str(value.max_daily_conversations_per_business) });
            items.push(compact({ kind: 'phone_quality' as const, wabaId, displayPhone, event, currentLimit: str(value.current_limit), detail, at }));
          }
          return;
        }
        case 'user_preferences':
          items.push(...userPreferenceItems(value, receivedAt, position));
          return;
        default:
          items.push({ kind: 'ignored', key: `${field}#${position}`, reason: `webhook field "${field}" is not handled` });
      }
    });
  });
  let position = 0;
  for (const item of items) if (item.kind === 'provider_error') item.position = position++;
  return items;
}

import { PayloadError } from '../../webhook-items.js';
import { obj, type JsonObject } from '../../read-json.js';

/**
 * UltraMsg posts JSON (its official samples), and some integrators report form-encoded posts with
 * the JSON in a `data` field; both are read. A form without `data` is taken field by field.
 */
export function parseUltraMsgBody(body: Buffer, contentType: string | undefined): JsonObject {
  const text = body.toString('utf8');
  const isForm = (contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  let parsed: unknown;
  try {
    if (isForm) {
      const form = new URLSearchParams(text);
      const data = form.get('data');
      if (data !== null) {
        const inner = JSON.parse(data) as unknown;
        // Either the whole envelope is in `data`, or `data` is the message and the envelope fields are beside it.
        const innerObj = obj(inner);
        parsed = innerObj && 'event_type' in innerObj ? innerObj : { ...Object.fromEntries(form), data: inner };
      } else {
        parsed = Object.fromEntries(form);
      }
    } else {
      parsed = JSON.parse(text);
    }
  } catch (error) {
    throw new PayloadError(`The body is neither JSON nor a form with JSON in \`data\`: ${(error as Error).message}`);
  }
  const root = obj(parsed);
  if (!root) throw new PayloadError('The body is not a JSON object.');
  return root;
}

/** The instance id as UltraMsg writes it in webhooks (`1150`), from either `1150` or `instance1150`. */
export const normalizeInstanceId = (value: string): string => value.trim().replace(/^instance/i, '');

import type { ProviderError } from '../../webhook-items.js';
import { arr, compact, obj, str } from '../../read-json.js';

/** Meta's webhook error objects (`{ code, title, message, error_data: { details }, href }`). */
export function normalizeErrors(value: unknown): ProviderError[] {
  const out: ProviderError[] = [];
  for (const raw of arr(value)) {
    const e = obj(raw);
    if (!e) continue;
    out.push(compact({ code: str(e.code) ?? 'unknown', title: str(e.title), message: str(e.message), details: str(obj(e.error_data)?.details), href: str(e.href) }));
  }
  return out;
}

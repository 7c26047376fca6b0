import { isRecord } from '../../template-text/template-shape.js';
import type { ParameterExpectation } from '../../template-text/expected-parameters.js';
import type { BodyValue, HeaderValue, TemplateParams } from '../../template-text/params.js';
import { substitute } from '../../template-text/placeholders.js';

/**
 * How an intent's parameters fill a template. Intent callers pass named parameters
 * (`{ customer: "Asha", order_id: "A1" }`); a binding says which parameter fills which placeholder:
 * - `body`: parameter names in placeholder order (`["customer", "order_id"]`), or placeholder → parameter
 *   (`{ "1": "customer" }`); without it, placeholder `{{k}}` takes parameter `k` (right for named templates);
 * - `header`: the parameter holding the header value (text, `{ image: { link } }`, `{ location }`);
 *   without it, parameter `header`, or for a named template the header variable's name;
 * - `buttons`: button position → parameter (URL suffix, coupon code); without it, `button_<position>`.
 */
export interface TemplateBinding {
  name: string;
  header?: string;
  body?: string[] | Record<string, string>;
  buttons?: Record<string, string>;
}

export type IntentParams = Record<string, unknown>;

export function bindIntentParams(binding: TemplateBinding, expectation: ParameterExpectation, params: IntentParams): TemplateParams {
  const out: TemplateParams = {};
  const h = expectation.header;
  if (h.kind !== 'none') {
    const source = binding.header ?? (h.kind === 'text' && !/^\d+$/.test(h.key) && params[h.key] !== undefined ? h.key : 'header');
    if (params[source] !== undefined) out.header = params[source] as HeaderValue;
  }
  if (expectation.body.length) {
    const body: Record<string, BodyValue> = {};
    expectation.body.forEach((key, i) => {
      const source = Array.isArray(binding.body) ? binding.body[i] : isRecord(binding.body) ? binding.body[key] : key;
      if (source !== undefined && params[source] !== undefined) body[key] = params[source] as BodyValue;
    });
    out.body = body;
  }
  const buttons: Record<string, string> = {};
  for (const b of expectation.buttons) {
    const source = binding.buttons?.[String(b.index)] ?? `button_${b.index}`;
    if (params[source] !== undefined) buttons[String(b.index)] = params[source] as string;
  }
  if (Object.keys(buttons).length) out.buttons = buttons;
  return out;
}

const asText = (value: unknown): string | undefined => {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (isRecord(value) && isRecord(value.currency) && typeof value.currency.fallback_value === 'string') return value.currency.fallback_value;
  if (isRecord(value) && isRecord(value.date_time) && typeof value.date_time.fallback_value === 'string') return value.date_time.fallback_value;
  return undefined;
};

/** Fills an intent's free-form text; returns the names it could not fill. */
export function renderIntentText(text: string, params: IntentParams): { body: string; missing: string[] } {
  const missing: string[] = [];
  const body = substitute(text, (key) => {
    const value = asText(params[key]);
    if (value === undefined) missing.push(key);
    return value;
  });
  return { body, missing: [...new Set(missing)] };
}

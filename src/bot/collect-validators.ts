import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { normalizeKeyword } from '../consent/opt-out-keywords.js';
import { editDistance, typoBudget } from './intent-match.js';
import { MAX_PATTERN_TEXT, patternText } from './regex-safety.js';
import type { Validator } from './flow-schema.js';

/**
 * What a `collect` node accepts, pure: the customer's answer checked by the node's validator and
 * turned into the value stored in the flow's variables, or refused (the node asks again, up to its
 * retries). The answer is what the customer sent: text, a location, an image.
 */
export type CustomerAnswer =
  | { kind: 'text'; text: string }
  | { kind: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | { kind: 'media'; mediaType: string; messageId: string }
  | { kind: 'other'; type: string };

export type Collected = { ok: true; value: unknown } | { ok: false; reason: string };

export interface CollectContext {
  /** The customer's country (from their number), for phone numbers written without one. */
  country: CountryCode | null;
  /** Today in the workspace's time zone (`YYYY-MM-DD`), for `date` with `future`. */
  today: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/u;

/**
 * A number as people write it: `42`, `1,234.5`, `1.234,5`, `3,5`. With both separators the last one is
 * the decimal point; one kind used twice or more separates thousands; used once before exactly three
 * digits it separates thousands too (`1.000` is a thousand, as most of our customers write it).
 */
export function parseNumber(text: string): number | null {
  const t = text.trim().replace(/\s/g, '');
  if (!/^[+-]?\d[\d.,]*$/.test(t) || /[.,]$/.test(t)) return null;
  const dots = (t.match(/\./g) ?? []).length;
  const commas = (t.match(/,/g) ?? []).length;
  let normalized: string;
  if (dots && commas) {
    const decimal = t.lastIndexOf('.') > t.lastIndexOf(',') ? '.' : ',';
    const other = decimal === '.' ? ',' : '.';
    if ((decimal === '.' ? dots : commas) > 1) return null;
    normalized = t.split(other).join('').replace(decimal, '.');
  } else if (dots + commas === 0) normalized = t;
  else {
    const sep = dots ? '.' : ',';
    const count = dots + commas;
    const thousands = count > 1 || /^[+-]?\d{1,3}[.,]\d{3}$/.test(t);
    if (thousands && !new RegExp(`^[+-]?\\d{1,3}(\\${sep}\\d{3})+$`).test(t)) return null;
    normalized = thousands ? t.split(sep).join('') : t.replace(sep, '.');
  }
  const n = Number(normalized);
  return Number.isFinite(n) ? n : null;
}

/** A calendar date as customers write it: `2026-03-14`, `14/03/2026`, `14.03.2026` (day first). */
export function parseDate(text: string): string | null {
  const t = text.trim();
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else {
    match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(t);
    if (!match) return null;
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (y < 100) y += 2000;
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** The option the answer names: exactly, or with the typos its length allows. */
export function matchChoice(text: string, options: readonly string[]): string | null {
  const said = normalizeKeyword(text);
  if (!said) return null;
  const exact = options.find((o) => normalizeKeyword(o) === said);
  if (exact !== undefined) return exact;
  let best: { option: string; distance: number } | null = null;
  for (const option of options) {
    const want = normalizeKeyword(option);
    const budget = typoBudget(want);
    const d = editDistance(want, said, budget);
    if (d <= budget && (!best || d < best.distance)) best = { option, distance: d };
  }
  return best?.option ?? null;
}

export function collect(validator: Validator, answer: CustomerAnswer, context: CollectContext): Collected {
  const text = answer.kind === 'text' ? answer.text.trim() : null;
  const needText = (): Collected => ({ ok: false, reason: 'expected a written answer' });
  switch (validator.kind) {
    case 'choice': {
      if (text === null) return needText();
      const chosen = matchChoice(text, validator.options);
      return chosen === null ? { ok: false, reason: `not one of ${validator.options.join(', ')}` } : { ok: true, value: chosen };
    }
    case 'number': {
      if (text === null) return needText();
      const n = parseNumber(text);
      if (n === null) return { ok: false, reason: 'not a number' };
      if (validator.integer && !Number.isInteger(n)) return { ok: false, reason: 'not a whole number' };
      if (validator.min !== undefined && n < validator.min) return { ok: false, reason: `below ${validator.min}` };
      if (validator.max !== undefined && n > validator.max) return { ok: false, reason: `above ${validator.max}` };
      return { ok: true, value: n };
    }
    case 'email': {
      if (text === null) return needText();
      const email = text.toLowerCase();
      return EMAIL.test(email) && email.length <= 254 ? { ok: true, value: email } : { ok: false, reason: 'not an email address' };
    }
    case 'date': {
      if (text === null) return needText();
      const date = parseDate(text);
      if (date === null) return { ok: false, reason: 'not a date' };
      if (validator.future && date < context.today) return { ok: false, reason: 'a date in the past' };
      return { ok: true, value: date };
    }
    case 'phone': {
      if (text === null) return needText();
      const phone = parsePhoneNumberFromString(text, context.country ?? undefined);
      return phone?.isValid() ? { ok: true, value: phone.number } : { ok: false, reason: 'not a phone number' };
    }
    case 'regex': {
      if (text === null) return needText();
      // Patterns are checked when the flow is published; the cap bounds what a slow one could cost.
      if (patternText(text) !== text) return { ok: false, reason: `longer than ${MAX_PATTERN_TEXT} characters` };
      return new RegExp(validator.pattern, 'u').test(text) ? { ok: true, value: text } : { ok: false, reason: 'not in the expected form' };
    }
    case 'location':
      return answer.kind === 'location' ? { ok: true, value: { latitude: answer.latitude, longitude: answer.longitude, ...(answer.name ? { name: answer.name } : {}), ...(answer.address ? { address: answer.address } : {}) } } : { ok: false, reason: 'expected a shared location' };
    case 'image':
      return answer.kind === 'media' && answer.mediaType === 'image' ? { ok: true, value: { messageId: answer.messageId } } : { ok: false, reason: 'expected a photo' };
  }
}

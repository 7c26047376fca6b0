import { normalizeEmail } from './contact-hashes.js';
import { normalizeCanonicalPhone, normalizePhone, toWaId } from './phone.js';
import { guessTimeZone, isTimeZone } from './time-zone-guess.js';

/**
 * Validation and normalization of contact fields, shared by the API and the CSV import. Pure: a
 * problem is returned (field, what is wrong), never thrown, so an import can report it for its row
 * and go on.
 */
export interface FieldProblem {
  /** The field (API) or column (CSV) the problem is about. */
  field: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: FieldProblem };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = (field: string, message: string): Checked<never> => ({ ok: false, problem: { field, message } });

export const LIMITS = { name: 200, email: 254, tag: 64, tags: 50, attributeKey: 64, attributes: 100, attributeValue: 1000 } as const;

export function checkPhone(value: string, country: string | undefined, field = 'phone'): Checked<{ e164: string; country: string | null }> {
  if (country !== undefined && !/^[A-Za-z]{2}$/.test(country)) return bad('country', `"${country}" is not a two-letter country code (ISO 3166-1, e.g. BR, US).`);
  const parsed = normalizeCanonicalPhone(value, country);
  if (!parsed) {
    const hint = value.trim().startsWith('+') ? 'Write it in international format, e.g. +5511987654321.' : 'Start it with + and the country code, or give the country (e.g. BR) for a national number.';
    return bad(field, `"${value}" is not a possible phone number. ${hint}`);
  }
  return ok({ e164: parsed.e164, country: parsed.country ?? null });
}

export function checkWaId(value: string, field = 'waId'): Checked<string> {
  return /^\d{6,20}$/.test(value) ? ok(value) : bad(field, `"${value}" is not a WhatsApp id: 6 to 20 digits, no + or spaces (e.g. 5511987654321).`);
}

export function checkEmail(value: string, field = 'email'): Checked<string> {
  const email = value.trim();
  // Deliberately loose: one @, something on both sides, a dot in the domain, no spaces.
  if (email.length > LIMITS.email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return bad(field, `"${value}" is not an e-mail address.`);
  return ok(email);
}

// Imports repeat the same few languages and zones on every row; Intl's checks are not free.
const canonicalLanguages = new Map<string, string | null>();
const knownZones = new Map<string, boolean>();
const remember = <V>(cache: Map<string, V>, key: string, compute: () => V): V => {
  if (!cache.has(key)) {
    if (cache.size > 10_000) cache.clear();
    cache.set(key, compute());
  }
  return cache.get(key)!;
};

export function checkLanguage(value: string, field = 'language'): Checked<string> {
  const canonical = remember(canonicalLanguages, value, () => {
    try {
      const [tag] = Intl.getCanonicalLocales(value.trim().replace(/_/g, '-'));
      return tag && /^[a-z]{2,3}(-|$)/.test(tag) ? tag : null;
    } catch {
      return null;
    }
  });
  return canonical ? ok(canonical) : bad(field, `"${value}" is not a language tag (BCP 47, e.g. pt-BR, es, en-US).`);
}

export function checkTimeZone(value: string, field = 'timeZone'): Checked<string> {
  const zone = value.trim();
  return remember(knownZones, zone, () => isTimeZone(zone)) ? ok(zone) : bad(field, `"${value}" is not an IANA time zone (e.g. America/Sao_Paulo, Europe/Madrid).`);
}

export function checkName(value: string, field = 'name'): Checked<string> {
  const name = value.trim();
  return name.length <= LIMITS.name ? ok(name) : bad(field, `is longer than ${LIMITS.name} characters.`);
}

export function checkTags(values: readonly string[], field = 'tags'): Checked<string[]> {
  const tags = [...new Set(values.map((t) => t.trim()).filter(Boolean))];
  if (tags.length > LIMITS.tags) return bad(field, `has ${tags.length} tags; at most ${LIMITS.tags}.`);
  const long = tags.find((t) => t.length > LIMITS.tag);
  if (long) return bad(field, `tag "${long.slice(0, 20)}…" is longer than ${LIMITS.tag} characters.`);
  return ok(tags);
}

export type AttributeValue = string | number | boolean | null;

export function checkAttributes(values: Record<string, unknown>, field = 'attributes'): Checked<Record<string, AttributeValue>> {
  const entries = Object.entries(values);
  if (entries.length > LIMITS.attributes) return bad(field, `has ${entries.length} attributes; at most ${LIMITS.attributes}.`);
  const out: Record<string, AttributeValue> = {};
  for (const [key, value] of entries) {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(key)) return bad(`${field}/${key}`, `attribute name "${key}" must be 1 to 64 letters, digits, _ . or -.`);
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) return bad(`${field}/${key}`, 'must be a string, number, boolean or null.');
    if (typeof value === 'string' && value.length > LIMITS.attributeValue) return bad(`${field}/${key}`, `is longer than ${LIMITS.attributeValue} characters.`);
    out[key] = value as AttributeValue;
  }
  return ok(out);
}

export interface ContactInput {
  phone?: string;
  country?: string;
  waId?: string;
  name?: string;
  email?: string;
  language?: string;
  timeZone?: string;
  attributes?: Record<string, unknown>;
  tags?: string[];
}

/** A contact's fields, validated and normalized, ready to store. */
export interface PreparedContact {
  /** Canonical E.164. */
  phone: string | null;
  country: string | null;
  waId: string | null;
  name: string | null;
  email: string | null;
  language: string | null;
  timeZone: string | null;
  attributes: Record<string, AttributeValue>;
  tags: string[];
}

/**
 * Validates a new contact. It needs a phone, a wa_id or an e-mail. A wa_id alone gives the phone too
 * (a wa_id is the number's digits); the time zone, unless given, is guessed from the phone number.
 */
export function prepareContact(input: ContactInput): Checked<PreparedContact> {
  let phone: { e164: string; country: string | null } | null = null;
  if (input.phone !== undefined && input.phone.trim() !== '') {
    const checked = checkPhone(input.phone, input.country);
    if (!checked.ok) return checked;
    phone = checked.value;
  }
  let waId: string | null = null;
  if (input.waId !== undefined && input.waId !== '') {
    const checked = checkWaId(input.waId);
    if (!checked.ok) return checked;
    waId = checked.value;
    if (!phone) {
      const fromWaId = normalizePhone(waId);
      if (fromWaId) phone = { e164: normalizeCanonicalPhone(fromWaId.e164)!.e164, country: fromWaId.country ?? null };
    }
  }
  if (phone && !waId) waId = toWaId(phone.e164);
  const fields: Array<[keyof PreparedContact, Checked<unknown> | null]> = [
    ['name', input.name !== undefined && input.name !== '' ? checkName(input.name) : null],
    ['email', input.email !== undefined && input.email !== '' ? checkEmail(input.email) : null],
    ['language', input.language !== undefined && input.language !== '' ? checkLanguage(input.language) : null],
    ['timeZone', input.timeZone !== undefined && input.timeZone !== '' ? checkTimeZone(input.timeZone) : null],
    ['attributes', checkAttributes(input.attributes ?? {})],
    ['tags', checkTags(input.tags ?? [])],
  ];
  const values: Record<string, unknown> = {};
  for (const [key, checked] of fields) {
    if (checked && !checked.ok) return checked;
    values[key] = checked ? checked.value : null;
  }
  if (!phone && !waId && !values.email) return bad('phone', 'A contact needs a phone number, a WhatsApp id (waId) or an e-mail address.');
  return ok({
    phone: phone?.e164 ?? null,
    country: phone?.country ?? null,
    waId,
    name: values.name as string | null,
    email: values.email as string | null,
    language: values.language as string | null,
    timeZone: (values.timeZone as string | null) ?? (phone ? guessTimeZone(phone.e164) ?? null : null),
    attributes: values.attributes as Record<string, AttributeValue>,
    tags: values.tags as string[],
  });
}

export { normalizeEmail };

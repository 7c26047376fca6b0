import { CHANNELS, PURPOSES, type Channel, type ConsentStatus, type Purpose } from '../policy/consent-words.js';
import { prepareContact, type FieldProblem, type PreparedContact } from './contact-input.js';

/**
 * How a CSV header maps to contact fields, and how one row becomes a contact. Pure.
 *
 * Columns (names are case-insensitive; aliases in brackets):
 * - phone [phone_number, mobile, telephone, tel, whatsapp], country (for national numbers; the
 *   import's default country otherwise), wa_id [waid], name [full_name], email [e-mail],
 *   language [lang, locale], time_zone [timezone, tz], tags (separated by | ; or ,);
 * - consent.<purpose>.<channel> (e.g. consent.marketing.whatsapp): granted / withdrawn (also
 *   yes/no, true/false, 1/0, opt_in/opt_out); empty records nothing. consent_at (ISO date or epoch
 *   ms; default: the time of the import) and consent_wording (the text the customer agreed to)
 *   apply to every consent column of the row. Recorded in the ledger with source `import`;
 * - attr.<key> or attribute.<key>: a custom attribute; any other column is an attribute too, named
 *   after the column (characters other than letters, digits, _ . - become _).
 */
export type ColumnTarget =
  | { kind: 'field'; field: 'phone' | 'country' | 'waId' | 'name' | 'email' | 'language' | 'timeZone' | 'tags' | 'consentAt' | 'consentWording' }
  | { kind: 'consent'; purpose: Purpose; channel: Channel }
  | { kind: 'attribute'; key: string };

export interface ImportPlan {
  columns: Array<{ header: string; target: ColumnTarget }>;
  /** Columns imported as attributes because they are not a known field (so a typo is visible). */
  attributeColumns: string[];
}

const ALIASES: Record<string, Extract<ColumnTarget, { kind: 'field' }>['field']> = {
  phone: 'phone', phone_number: 'phone', mobile: 'phone', telephone: 'phone', tel: 'phone', whatsapp: 'phone',
  country: 'country', wa_id: 'waId', waid: 'waId', name: 'name', full_name: 'name', email: 'email', 'e-mail': 'email',
  language: 'language', lang: 'language', locale: 'language', time_zone: 'timeZone', timezone: 'timeZone', tz: 'timeZone',
  tags: 'tags', consent_at: 'consentAt', consent_wording: 'consentWording',
};

export type PlanResult = { ok: true; plan: ImportPlan } | { ok: false; message: string };

/** Maps a header to targets; a header that cannot work (no identifier column, duplicates) is refused whole. */
export function planColumns(header: readonly string[]): PlanResult {
  const columns: ImportPlan['columns'] = [];
  const attributeColumns: string[] = [];
  const seen = new Set<string>();
  for (const raw of header) {
    const name = raw.trim();
    const lower = name.toLowerCase().replace(/\s+/g, '_');
    let target: ColumnTarget;
    const consent = /^consent[._]([a-z]+)[._]([a-z]+)$/.exec(lower);
    if (ALIASES[lower]) target = { kind: 'field', field: ALIASES[lower] };
    else if (consent && (PURPOSES as readonly string[]).includes(consent[1]) && (CHANNELS as readonly string[]).includes(consent[2])) {
      target = { kind: 'consent', purpose: consent[1] as Purpose, channel: consent[2] as Channel };
    } else if (lower.startsWith('consent.') || lower.startsWith('consent_')) {
      return { ok: false, message: `Column "${name}" looks like a consent column but is not consent.<purpose>.<channel> with purpose one of ${PURPOSES.join(', ')} and channel one of ${CHANNELS.join(', ')}.` };
    } else {
      const explicit = /^(?:attr|attribute)\.(.+)$/i.exec(name);
      const key = (explicit ? explicit[1] : name).replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 64);
      if (!key) return { ok: false, message: `Column ${columns.length + 1} has no name; every column needs a header.` };
      target = { kind: 'attribute', key };
      if (!explicit) attributeColumns.push(name);
    }
    const identity = target.kind === 'field' ? target.field : target.kind === 'consent' ? `consent.${target.purpose}.${target.channel}` : `attr.${target.key}`;
    if (seen.has(identity)) return { ok: false, message: `Two columns map to ${identity} (the second is "${name}"); keep one.` };
    seen.add(identity);
    columns.push({ header: name, target });
  }
  if (!columns.some((c) => c.target.kind === 'field' && ['phone', 'waId', 'email'].includes(c.target.field))) {
    return { ok: false, message: 'The header has no phone, wa_id or email column; a contact needs one of them. The first line of the file must be the header (e.g. phone,name,email).' };
  }
  return { ok: true, plan: { columns, attributeColumns } };
}

export interface RowConsent {
  purpose: Purpose;
  channel: Channel;
  status: ConsentStatus;
}

export interface PreparedRow {
  contact: PreparedContact;
  consents: RowConsent[];
  consentAt: number | null;
  consentWording: string | null;
}

export type RowResult = { ok: true; row: PreparedRow } | { ok: false; column: string | null; message: string } | { ok: 'blank' };

const GRANTED = new Set(['granted', 'grant', 'yes', 'y', 'true', '1', 'opt_in', 'opt-in', 'optin', 'x']);
const WITHDRAWN = new Set(['withdrawn', 'withdraw', 'no', 'n', 'false', '0', 'opt_out', 'opt-out', 'optout']);

function parseTime(value: string, now: number): number | string {
  const text = value.trim();
  const ms = /^\d{10,13}$/.test(text) ? Number(text.length === 10 ? `${text}000` : text) : Date.parse(text);
  if (!Number.isFinite(ms)) return `"${value}" is not a date: use ISO 8601 (2024-05-31 or 2024-05-31T14:00:00Z) or epoch milliseconds.`;
  if (ms > now + 5 * 60_000) return `"${value}" is in the future; consent must have been given already.`;
  return ms;
}

/** Turns one CSV record into a contact and its consents, or says which column is wrong and why. */
export function prepareRow(fields: readonly string[], plan: ImportPlan, defaultCountry: string | undefined, now: number): RowResult {
  if (fields.every((f) => f.trim() === '')) return { ok: 'blank' };
  if (fields.length !== plan.columns.length) {
    return { ok: false, column: null, message: `has ${fields.length} fields but the header has ${plan.columns.length} columns (an unquoted delimiter inside a value?).` };
  }
  const input: Record<string, string> = {};
  const attributes: Record<string, string> = {};
  const consents: RowConsent[] = [];
  for (const [i, { header, target }] of plan.columns.entries()) {
    const value = fields[i];
    if (target.kind === 'field') input[target.field] = value.trim();
    else if (target.kind === 'attribute') {
      if (value.trim() !== '') attributes[target.key] = value.trim();
    } else {
      const v = value.trim().toLowerCase();
      if (v === '') continue;
      if (GRANTED.has(v)) consents.push({ purpose: target.purpose, channel: target.channel, status: 'granted' });
      else if (WITHDRAWN.has(v)) consents.push({ purpose: target.purpose, channel: target.channel, status: 'withdrawn' });
      else return { ok: false, column: header, message: `"${value}" is not a consent value: use granted or withdrawn (or yes/no), or leave it empty.` };
    }
  }
  let consentAt: number | null = null;
  if (input.consentAt) {
    const parsed = parseTime(input.consentAt, now);
    if (typeof parsed === 'string') return { ok: false, column: headerOf(plan, 'consentAt'), message: parsed };
    consentAt = parsed;
  }
  const prepared = prepareContact({
    phone: input.phone,
    country: input.country || defaultCountry,
    waId: input.waId,
    name: input.name,
    email: input.email,
    language: input.language,
    timeZone: input.timeZone,
    tags: input.tags ? input.tags.split(/[|;,]/) : [],
    attributes,
  });
  if (!prepared.ok) return { ok: false, column: columnFor(plan, prepared.problem), message: prepared.problem.message };
  return { ok: true, row: { contact: prepared.value, consents, consentAt, consentWording: input.consentWording || null } };
}

function headerOf(plan: ImportPlan, field: string): string | null {
  return plan.columns.find((c) => c.target.kind === 'field' && c.target.field === field)?.header ?? null;
}

/** The CSV column a field problem is about (the API names fields; the report names columns). */
function columnFor(plan: ImportPlan, problem: FieldProblem): string | null {
  const [field, key] = problem.field.split('/');
  if (field === 'attributes' && key) return plan.columns.find((c) => c.target.kind === 'attribute' && c.target.key === key)?.header ?? key;
  if (field === 'attributes') return null;
  return headerOf(plan, field) ?? (field === 'country' ? 'country' : field);
}

import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import type { CustomerAnswer } from './collect-validators.js';

/**
 * The dialogue script that `simulate.ts` plays against a flow, parsed, pure. One statement a line;
 * blank lines and lines starting with `#` are ignored. Header lines come first and set the scene:
 *
 *   language: pt_BR                    the contact's language (else the flow's default)
 *   name: Ana                          the contact's name (`{{contact.name}}`)
 *   tags: vip, wholesale               the contact's tags
 *   attributes: {"plan": "gold"}       the contact's attributes, a JSON object
 *   country: PT                        the contact's country (phone numbers written without one)
 *   hours: open | closed | closed until Mon 09:00   business hours when the conversation starts
 *   start: 2026-12-07T09:00:00Z        the fake clock's start (else the caller's `now`)
 *   timezone: Europe/Lisbon            the workspace's time zone, for "today" (else UTC)
 *
 * Then the dialogue, in order:
 *
 *   customer: <text>                   the customer writes
 *   customer taps: <option id>         the customer taps a button or list row of the menu shown
 *   customer sends: location 38.7,-9.1 [name]   a shared location
 *   customer sends: image | video | audio | document | sticker
 *   webhook <node>: {"order": {...}}   the business webhook the bot called at <node> answers with JSON
 *   webhook <node>: timeout | garbage | error 503   … times out, answers with something not JSON, fails
 *   wait 2h                            the fake clock moves on (s, m, h, d)
 *   bot: <text>                        expectation: the bot's next message contains <text>
 *   expect handoff[: <reason>]         expectation: the bot handed the conversation to people
 *   expect resolved                    expectation: the bot resolved the conversation
 *   expect var <name> = <value>        expectation: a flow variable's value (JSON, or else text)
 *
 * A malformed line is a script error with its line number (`parseScript` returns them all); a script
 * with errors is not played.
 */
/** What a business webhook answered, as the engine takes it. */
export type WebhookResult = { ok: true; body: unknown } | { ok: false; error: string };

export type ScriptStep =
  | { line: number; kind: 'customer'; answer: CustomerAnswer; shown: string }
  | { line: number; kind: 'tap'; option: string }
  | { line: number; kind: 'webhook'; node: string; result: WebhookResult; shown: string }
  | { line: number; kind: 'wait'; ms: number; shown: string }
  | { line: number; kind: 'expect_bot'; text: string }
  | { line: number; kind: 'expect_handoff'; reason: string | null }
  | { line: number; kind: 'expect_resolved' }
  | { line: number; kind: 'expect_var'; name: string; value: string };

export interface ScriptHeader {
  language?: string;
  name?: string;
  tags?: string[];
  attributes?: Record<string, unknown>;
  country?: CountryCode;
  hours?: { open: boolean; opensAt: string | null };
  /** ISO date-time. */
  start?: string;
  timeZone?: string;
}

export interface Script {
  header: ScriptHeader;
  steps: ScriptStep[];
}

export interface ScriptError {
  /** 1-based. */
  line: number;
  message: string;
}

/** Scripts are written by hand; a longer one is a mistake (or an abuse of the API that plays them). */
export const MAX_SCRIPT_LINES = 2000;
const MAX_WAIT_MS = 366 * 24 * 3600_000;
const UNIT_MS = { s: 1000, m: 60_000, h: 3600_000, d: 24 * 3600_000 } as const;
const MEDIA = new Set(['image', 'video', 'audio', 'document', 'sticker']);
const HEADER_KEYS = new Set(['language', 'name', 'tags', 'attributes', 'country', 'hours', 'start', 'timezone']);

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** One header line into `header`; an error message, or null. */
function headerLine(key: string, value: string, header: ScriptHeader): string | null {
  switch (key) {
    case 'language':
      if (!/^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})?$/.test(value)) return `"${value}" is not a language code (e.g. en, pt_BR, es).`;
      header.language = value;
      return null;
    case 'name':
      header.name = value;
      return null;
    case 'tags':
      header.tags = value.split(',').map((t) => t.trim()).filter(Boolean);
      return null;
    case 'attributes': {
      const parsed = parseJson(value);
      if (!parsed.ok || parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) return 'attributes is a JSON object, e.g. {"plan": "gold"}.';
      header.attributes = parsed.value as Record<string, unknown>;
      return null;
    }
    case 'country': {
      const code = value.toUpperCase();
      if (!isSupportedCountry(code)) return `"${value}" is not a two-letter country code (e.g. PT, BR, US).`;
      header.country = code;
      return null;
    }
    case 'hours': {
      const m = /^(open|closed)(?:\s+until\s+(.+))?$/i.exec(value);
      if (!m || (m[1]!.toLowerCase() === 'open' && m[2])) return 'hours is "open", "closed" or "closed until <when>".';
      header.hours = { open: m[1]!.toLowerCase() === 'open', opensAt: m[2]?.trim() ?? null };
      return null;
    }
    case 'start':
      if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value))) return `"${value}" is not an ISO date-time (e.g. 2026-12-07T09:00:00Z).`;
      header.start = new Date(Date.parse(value)).toISOString();
      return null;
    case 'timezone':
      if (!validTimeZone(value)) return `"${value}" is not a time zone (e.g. Europe/Lisbon, UTC).`;
      header.timeZone = value;
      return null;
    default:
      return `Unknown header "${key}".`;
  }
}

/** A media answer's message id is made up from its line: the simulation stores nothing. */
function customerSends(rest: string, line: number): CustomerAnswer | string {
  const location = /^location\s+(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)(?:\s+(.+))?$/i.exec(rest);
  if (location) {
    const latitude = Number(location[1]);
    const longitude = Number(location[2]);
    if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return 'A location is latitude (-90 to 90), longitude (-180 to 180).';
    return { kind: 'location', latitude, longitude, ...(location[3] ? { name: location[3].trim() } : {}) };
  }
  const type = rest.toLowerCase();
  if (MEDIA.has(type)) return { kind: 'media', mediaType: type, messageId: `simulated-${line}` };
  return 'customer sends: is "location <latitude>,<longitude> [name]" or one of image, video, audio, document, sticker.';
}

function webhookAnswer(value: string): WebhookResult | string {
  if (/^timeout$/i.test(value)) return { ok: false, error: 'timeout' };
  if (/^garbage$/i.test(value)) return { ok: false, error: 'the answer is not JSON' };
  const status = /^error\s+(\d{3})$/i.exec(value);
  if (status) return { ok: false, error: `HTTP ${status[1]}` };
  const parsed = parseJson(value);
  if (!parsed.ok) return 'A webhook answer is JSON, "timeout", "garbage" or "error <status>".';
  return { ok: true, body: parsed.value };
}

function parseWait(value: string): number | string {
  const m = /^(\d+(?:\.\d+)?)\s*([smhd])$/i.exec(value);
  if (!m) return 'wait takes a duration: 30s, 15m, 2h, 1d.';
  const ms = Number(m[1]) * UNIT_MS[m[2]!.toLowerCase() as keyof typeof UNIT_MS];
  return ms > MAX_WAIT_MS ? 'wait is at most a year.' : ms;
}

/** One dialogue line into a step, or an error message. */
function dialogueLine(text: string, line: number): ScriptStep | string {
  let m = /^customer\s+taps\s*:\s*(.*)$/i.exec(text);
  if (m) return m[1] ? { line, kind: 'tap', option: m[1] } : 'customer taps: needs an option id.';
  m = /^customer\s+sends\s*:\s*(.*)$/i.exec(text);
  if (m) {
    const answer = customerSends(m[1]!, line);
    return typeof answer === 'string' ? answer : { line, kind: 'customer', answer, shown: `customer sends: ${m[1]}` };
  }
  m = /^customer\s*:\s*(.*)$/i.exec(text);
  if (m) return m[1] ? { line, kind: 'customer', answer: { kind: 'text', text: m[1] }, shown: `customer: ${m[1]}` } : 'customer: needs the text the customer writes.';
  m = /^webhook\s+([A-Za-z0-9_.-]+)\s*:\s*(.*)$/i.exec(text);
  if (m) {
    const result = webhookAnswer(m[2]!);
    return typeof result === 'string' ? result : { line, kind: 'webhook', node: m[1]!, result, shown: m[2]! };
  }
  m = /^wait\s+(.*)$/i.exec(text);
  if (m) {
    const ms = parseWait(m[1]!);
    return typeof ms === 'string' ? ms : { line, kind: 'wait', ms, shown: m[1]! };
  }
  m = /^bot\s*:\s*(.*)$/i.exec(text);
  if (m) return m[1] ? { line, kind: 'expect_bot', text: m[1] } : 'bot: needs the text the bot\'s message should contain.';
  m = /^expect\s+handoff\s*(?::\s*(.*))?$/i.exec(text);
  if (m) return { line, kind: 'expect_handoff', reason: m[1] || null };
  if (/^expect\s+resolved$/i.test(text)) return { line, kind: 'expect_resolved' };
  m = /^expect\s+var\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/i.exec(text);
  if (m) return { line, kind: 'expect_var', name: m[1]!, value: m[2]! };
  if (/^expect\b/i.test(text)) return 'expect is "expect handoff[: <reason>]", "expect resolved" or "expect var <name> = <value>".';
  return `Not a script line: "${text.length > 60 ? `${text.slice(0, 60)}…` : text}" (customer:, customer taps:, customer sends:, webhook <node>:, wait, bot:, expect …).`;
}

/** The script and every error in it, each with its line; the script may be played only when there are none. */
export function parseScript(text: string): { script: Script; errors: ScriptError[] } {
  const script: Script = { header: {}, steps: [] };
  const errors: ScriptError[] = [];
  const lines = text.split(/\r?\n/);
  if (lines.length > MAX_SCRIPT_LINES) return { script, errors: [{ line: MAX_SCRIPT_LINES + 1, message: `A script has at most ${MAX_SCRIPT_LINES} lines.` }] };
  lines.forEach((raw, i) => {
    const line = i + 1;
    const text = raw.trim();
    if (!text || text.startsWith('#')) return;
    const header = /^([a-z]+)\s*:\s*(.*)$/i.exec(text);
    const key = header?.[1]!.toLowerCase();
    if (header && key !== undefined && HEADER_KEYS.has(key)) {
      if (script.steps.length > 0) errors.push({ line, message: `Header lines (${key}:) come before the dialogue.` });
      else {
        const error = header[2] ? headerLine(key, header[2].trim(), script.header) : `${key}: needs a value.`;
        if (error) errors.push({ line, message: error });
      }
      return;
    }
    const step = dialogueLine(text, line);
    if (typeof step === 'string') errors.push({ line, message: step });
    else script.steps.push(step);
  });
  if (errors.length === 0 && script.steps.length === 0) errors.push({ line: 1, message: 'The script has no dialogue: write at least one customer: or bot: line.' });
  return { script, errors };
}

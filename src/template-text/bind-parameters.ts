import { ParleyError } from '../errors/parley-error.js';
import { substitute } from './placeholders.js';
import { findComponent, isRecord, type TemplateComponent } from './template-shape.js';
import { expectedParameters, type ParameterExpectation } from './expected-parameters.js';
import type { BodyValue, LocationValue, MediaRef, RenderableTemplate, TemplateParams } from './params.js';

export type BoundHeader =
  | null
  | { kind: 'text'; key: string; value: string }
  | { kind: 'media'; format: 'IMAGE' | 'VIDEO' | 'DOCUMENT'; media: MediaRef }
  | { kind: 'location'; location: LocationValue };

export interface BoundParameters {
  named: boolean;
  header: BoundHeader;
  body: Array<{ key: string; value: BodyValue }>;
  buttons: Array<{ index: number; kind: 'url' | 'copy_code' | 'quick_reply' | 'otp'; value: string }>;
}

/** Meta's rule for text parameters: no new lines or tabs, and no more than four spaces in a row. */
const BAD_TEXT = /[\n\t]| {5,}/;
const MAX_OTP_LENGTH = 15;
/** Body length after the values are filled in; longer is Meta's 132005. */
const MAX_HYDRATED_BODY = 1024;

function describe(expectation: ParameterExpectation) {
  return {
    header: expectation.header.kind === 'none' ? null : expectation.header.kind === 'text' ? 'text' : expectation.header.kind === 'media' ? expectation.header.format.toLowerCase() : 'location',
    body: expectation.body,
    buttons: expectation.buttons.map((b) => ({ index: b.index, kind: b.kind, required: b.required })),
  };
}

function text(value: unknown, field: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value.trim() === '') throw new ParleyError('TEMPLATE_PARAMETER_INVALID', { message: `The parameter at ${field} must be non-empty text.`, field });
  if (BAD_TEXT.test(value)) throw new ParleyError('TEMPLATE_PARAMETER_INVALID', { message: `The parameter at ${field} has a new line, a tab or more than four spaces in a row, which the provider refuses.`, field });
  return value;
}

function bodyValue(value: unknown, field: string): BodyValue {
  if (isRecord(value) && isRecord(value.currency)) {
    const c = value.currency;
    if (typeof c.fallback_value !== 'string' || typeof c.code !== 'string' || !Number.isInteger(c.amount_1000)) {
      throw new ParleyError('TEMPLATE_PARAMETER_INVALID', { message: `The currency at ${field} needs fallback_value, code (ISO 4217) and an integer amount_1000.`, field });
    }
    return { currency: { fallback_value: c.fallback_value, code: c.code, amount_1000: c.amount_1000 as number } };
  }
  if (isRecord(value) && isRecord(value.date_time)) {
    if (typeof value.date_time.fallback_value !== 'string') throw new ParleyError('TEMPLATE_PARAMETER_INVALID', { message: `The date_time at ${field} needs a fallback_value.`, field });
    return { date_time: { fallback_value: value.date_time.fallback_value } };
  }
  return text(value, field);
}

function media(value: unknown, format: string): MediaRef {
  const key = format.toLowerCase();
  const ref = isRecord(value) ? value[key] : undefined;
  if (!isRecord(ref)) throw new ParleyError('TEMPLATE_PARAMETERS_MISMATCH', { message: `The template has a ${key} header: pass header: { ${key}: { link | id } }.`, field: '/header' });
  const hasLink = typeof ref.link === 'string' && ref.link !== '';
  const hasId = typeof ref.id === 'string' && ref.id !== '';
  if (hasLink === hasId) throw new ParleyError('TEMPLATE_PARAMETER_INVALID', { message: `The ${key} header needs exactly one of link (an https URL) or id (an uploaded media id).`, field: `/header/${key}` });
  if (hasLink && !/^https?:\/\//i.test(ref.link as string)) throw new ParleyError('TEMPLATE_PARAMETER_INVALID', { message: `The ${key} link must be an http(s) URL.`, field: `/header/${key}/link` });
  const out: MediaRef = hasLink ? { link: ref.link as string } : { id: ref.id as string };
  if (key === 'document' && typeof ref.filename === 'string') out.filename = ref.filename;
  return out;
}

/**
 * Matches send-time parameters to a template's placeholders and checks them as the provider would, so a
 * mismatch is a 400 before sending instead of a 132000 after. Pure; both renderers start here.
 */
export function bindParameters(template: RenderableTemplate, params: TemplateParams = {}): BoundParameters {
  const expectation = expectedParameters(template);
  const mismatch = (message: string, field: string) =>
    new ParleyError('TEMPLATE_PARAMETERS_MISMATCH', { message, field, details: { expected: describe(expectation) } });
  const named = template.parameter_format === 'NAMED';

  let header: BoundHeader = null;
  const h = expectation.header;
  if (h.kind === 'none') {
    if (params.header !== undefined) throw mismatch('The template’s header takes no parameter, but one was given.', '/header');
  } else if (params.header === undefined) {
    throw mismatch(`The template’s header needs a ${h.kind === 'media' ? h.format.toLowerCase() : h.kind} parameter.`, '/header');
  } else if (h.kind === 'text') {
    const raw = isRecord(params.header) && 'text' in params.header ? params.header.text : params.header;
    header = { kind: 'text', key: h.key, value: text(raw, '/header') };
  } else if (h.kind === 'media') {
    header = { kind: 'media', format: h.format, media: media(params.header, h.format) };
  } else {
    const loc = isRecord(params.header) ? (params.header as Record<string, unknown>).location : undefined;
    if (!isRecord(loc) || loc.latitude === undefined || loc.longitude === undefined) throw mismatch('The template has a location header: pass header: { location: { latitude, longitude, name?, address? } }.', '/header');
    header = { kind: 'location', location: loc as unknown as LocationValue };
  }

  const body: BoundParameters['body'] = [];
  const given = params.body ?? [];
  if (Array.isArray(given)) {
    if (given.length !== expectation.body.length) throw mismatch(`The template’s body has ${expectation.body.length} placeholder(s) but ${given.length} value(s) were given.`, '/body');
    expectation.body.forEach((key, i) => body.push({ key, value: bodyValue(given[i], `/body/${i}`) }));
  } else if (isRecord(given)) {
    const extra = Object.keys(given).filter((k) => !expectation.body.includes(k));
    const missing = expectation.body.filter((k) => !(k in given));
    if (extra.length || missing.length) {
      throw mismatch(`The body values do not match the placeholders${missing.length ? `; missing ${missing.map((k) => `{{${k}}}`).join(', ')}` : ''}${extra.length ? `; unknown ${extra.join(', ')}` : ''}.`, '/body');
    }
    for (const key of expectation.body) body.push({ key, value: bodyValue(given[key], `/body/${key}`) });
  } else {
    throw mismatch('The body values must be a list or an object keyed by placeholder.', '/body');
  }

  const bodyText = findComponent(template.components as TemplateComponent[], 'BODY')?.text;
  if (typeof bodyText === 'string') {
    const values = new Map(body.map((p) => [p.key, typeof p.value === 'object' ? ('currency' in p.value ? p.value.currency.fallback_value : p.value.date_time.fallback_value) : String(p.value)]));
    const length = substitute(bodyText, (key) => values.get(key)).length;
    if (length > MAX_HYDRATED_BODY) throw new ParleyError('TEMPLATE_PARAMETER_INVALID', { message: `The body is ${length} characters once filled in; the provider takes ${MAX_HYDRATED_BODY} (error 132005).`, field: '/body' });
  }

  const authentication = template.category === 'AUTHENTICATION';
  if (authentication) {
    const code = body[0]?.value;
    if (typeof code !== 'string' || code.length > MAX_OTP_LENGTH) throw new ParleyError('TEMPLATE_PARAMETER_INVALID', { message: `The one-time code must be text of at most ${MAX_OTP_LENGTH} characters.`, field: '/body/0' });
  }

  const buttons: BoundParameters['buttons'] = [];
  const givenButtons = params.buttons ?? {};
  if (!isRecord(givenButtons)) throw mismatch('Button values must be an object keyed by button position ("0", "1", ...).', '/buttons');
  for (const key of Object.keys(givenButtons)) {
    if (!expectation.buttons.some((b) => String(b.index) === key)) throw mismatch(`Button ${key} takes no parameter.`, `/buttons/${key}`);
  }
  for (const b of expectation.buttons) {
    let value = givenButtons[String(b.index)];
    // The OTP button carries the same code as the body (Meta's send shape for authentication templates).
    if (value === undefined && b.kind === 'otp') value = body[0]?.value as string;
    if (value === undefined) {
      if (b.required) throw mismatch(`Button ${b.index} (${b.kind.replace('_', ' ')}) needs a value.`, `/buttons/${b.index}`);
      continue;
    }
    buttons.push({ index: b.index, kind: b.kind, value: text(value, `/buttons/${b.index}`) });
  }
  return { named, header, body, buttons };
}

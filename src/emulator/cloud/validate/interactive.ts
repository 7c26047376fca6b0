import { arrayField, at, badParam, invalidValue, isHttpUrl, isObject, oneOf, optionalObject, requireObject, stringField, type Json } from './checks.js';

const TYPES = ['button', 'list', 'cta_url', 'location_request_message'] as const;
const P = 'interactive';

function header(interactive: Json, allowed: readonly string[]): void {
  const h = optionalObject(interactive, 'header', P);
  if (!h) return;
  const path = at(P, 'header');
  const type = oneOf(h.type, allowed, at(path, 'type'));
  if (type === 'text') stringField(h, 'text', path, { required: true, max: 60 });
  else requireObject(h, type, path);
}

function uniqueOrThrow(values: string[], what: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw invalidValue(what, `"${v}" is used twice; values must be unique`);
    seen.add(v);
  }
}

/** Reply buttons: at most 3; ids up to 256 characters with no surrounding spaces; titles up to 20; both unique. */
function buttons(interactive: Json): void {
  header(interactive, ['text', 'image', 'video', 'document']);
  stringField(requireObject(interactive, 'body', P), 'text', at(P, 'body'), { required: true, max: 1024 });
  const footer = optionalObject(interactive, 'footer', P);
  if (footer) stringField(footer, 'text', at(P, 'footer'), { required: true, max: 60 });
  const action = requireObject(interactive, 'action', P);
  const path = at(at(P, 'action'), 'buttons');
  const list = arrayField(action, 'buttons', at(P, 'action'), { required: true, min: 1, max: 3 })!;
  const ids: string[] = [];
  const titles: string[] = [];
  list.forEach((button, i) => {
    const bp = at(path, i);
    if (!isObject(button)) throw badParam(`Param ${bp} must be a JSON object.`);
    oneOf(button.type, ['reply'], at(bp, 'type'));
    const reply = requireObject(button, 'reply', bp);
    const id = stringField(reply, 'id', at(bp, 'reply'), { required: true, max: 256 })!;
    if (id !== id.trim()) throw invalidValue(at(at(bp, 'reply'), 'id'), 'must not start or end with a space');
    ids.push(id);
    titles.push(stringField(reply, 'title', at(bp, 'reply'), { required: true, max: 20 })!);
  });
  uniqueOrThrow(ids, `${path}[].reply.id`);
  uniqueOrThrow(titles, `${path}[].reply.title`);
}

/** Lists: button label up to 20; up to 10 sections and 10 rows in total; row id 200, title 24, description 72. */
function list(interactive: Json): void {
  header(interactive, ['text']);
  stringField(requireObject(interactive, 'body', P), 'text', at(P, 'body'), { required: true, max: 4096 });
  const footer = optionalObject(interactive, 'footer', P);
  if (footer) stringField(footer, 'text', at(P, 'footer'), { required: true, max: 60 });
  const action = requireObject(interactive, 'action', P);
  const ap = at(P, 'action');
  stringField(action, 'button', ap, { required: true, max: 20 });
  const sections = arrayField(action, 'sections', ap, { required: true, min: 1, max: 10 })!;
  const ids: string[] = [];
  let rows = 0;
  sections.forEach((section, s) => {
    const sp = at(at(ap, 'sections'), s);
    if (!isObject(section)) throw badParam(`Param ${sp} must be a JSON object.`);
    stringField(section, 'title', sp, { required: sections.length > 1, max: 24 });
    const rowList = arrayField(section, 'rows', sp, { required: true, min: 1, max: 10 })!;
    rowList.forEach((row, r) => {
      const rp = at(at(sp, 'rows'), r);
      if (!isObject(row)) throw badParam(`Param ${rp} must be a JSON object.`);
      ids.push(stringField(row, 'id', rp, { required: true, max: 200 })!);
      stringField(row, 'title', rp, { required: true, max: 24 });
      stringField(row, 'description', rp, { max: 72 });
    });
    rows += rowList.length;
  });
  if (rows > 10) throw badParam(`Param ${ap}['sections'] must contain at most 10 rows in total.`);
  uniqueOrThrow(ids, `${ap}['sections'][].rows[].id`);
}

function ctaUrl(interactive: Json): void {
  header(interactive, ['text', 'image', 'video', 'document']);
  stringField(requireObject(interactive, 'body', P), 'text', at(P, 'body'), { required: true, max: 1024 });
  const action = requireObject(interactive, 'action', P);
  const params = requireObject(action, 'parameters', at(P, 'action'));
  const pp = at(at(P, 'action'), 'parameters');
  stringField(params, 'display_text', pp, { required: true, max: 20 });
  const url = stringField(params, 'url', pp, { required: true })!;
  if (!isHttpUrl(url)) throw invalidValue(at(pp, 'url'), 'must be an http or https URL');
}

function locationRequest(interactive: Json): void {
  stringField(requireObject(interactive, 'body', P), 'text', at(P, 'body'), { required: true, max: 1024 });
  const action = requireObject(interactive, 'action', P);
  oneOf(action.name, ['send_location'], at(at(P, 'action'), 'name'));
}

export function validateInteractive(message: Json): void {
  const interactive = requireObject(message, 'interactive', '');
  const type = oneOf(interactive.type, TYPES, at(P, 'type'));
  if (type === 'button') buttons(interactive);
  else if (type === 'list') list(interactive);
  else if (type === 'cta_url') ctaUrl(interactive);
  else locationRequest(interactive);
}

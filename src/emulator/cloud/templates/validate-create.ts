import type { TemplateCategory, TemplateComponent } from '../../types.js';
import { MetaError } from '../errors.js';
import { arrayField, badParam, isObject, stringField, type Json } from '../validate/checks.js';
import { placeholders } from './placeholders.js';

export interface TemplateCreate {
  name: string;
  language: string;
  category: TemplateCategory;
  parameterFormat: 'POSITIONAL' | 'NAMED';
  components: TemplateComponent[];
}

const upper = (v: unknown) => String(v ?? '').toUpperCase();

/** Component and button types Meta's template documentation uses (catalog, product, Flow, voice-call, limited-time-offer, carousel, call-permission included). */
const COMPONENT_TYPES = ['HEADER', 'BODY', 'FOOTER', 'BUTTONS', 'LIMITED_TIME_OFFER', 'CAROUSEL', 'CALL_PERMISSION_REQUEST'];
const BUTTON_TYPES = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE', 'OTP', 'FLOW', 'CATALOG', 'MPM', 'SPM', 'VOICE_CALL'];

/**
 * `POST /{waba_id}/message_templates`, checked against Meta's limits (protocol notes, section 4): name of
 * lowercase letters, digits and underscores up to 512; one BODY (up to 1024) except for authentication
 * templates; at most one HEADER (text up to 60, one variable); FOOTER up to 60; up to 10 buttons (quick
 * reply and URL texts up to 25, at most 2 URL, 1 phone, 1 copy-code; OTP only for authentication; quick
 * replies grouped); an example for every variable. Violations are code 100, as Graph answers them.
 */
export function validateTemplateCreate(body: unknown): TemplateCreate {
  if (!isObject(body)) throw badParam('The request body must be a JSON object.');
  const name = stringField(body, 'name', '', { required: true, max: 512 })!;
  if (!/^[a-z0-9_]+$/.test(name)) throw badParam('Param name must contain only lowercase characters, digits and underscores.');
  const language = stringField(body, 'language', '', { required: true, max: 20 })!;
  const category = upper(body.category);
  if (!['MARKETING', 'UTILITY', 'AUTHENTICATION'].includes(category)) throw badParam('Param category must be one of {MARKETING, UTILITY, AUTHENTICATION}.');
  const parameterFormat = upper(body.parameter_format || 'POSITIONAL');
  if (!['POSITIONAL', 'NAMED'].includes(parameterFormat)) throw badParam('Param parameter_format must be one of {POSITIONAL, NAMED}.');
  const components = arrayField(body, 'components', '', { required: true, min: 1 })! as Json[];
  if (!components.every(isObject)) throw badParam('Param components must be an array of objects.');
  const of = (type: string) => components.filter((c) => upper(c.type) === type);
  for (const c of components) if (!COMPONENT_TYPES.includes(upper(c.type))) throw badParam(`Param components[].type "${c.type}" must be one of {${COMPONENT_TYPES.join(', ')}}.`);

  const bodies = of('BODY');
  if (bodies.length > 1) throw badParam('Param components must contain at most one BODY.');
  if (category !== 'AUTHENTICATION') {
    if (!bodies.length) throw new MetaError(100, 'Message template "components" param is missing expected field(s) (BODY).');
    const text = stringField(bodies[0], 'text', "components['BODY']", { required: true, max: 1024 })!;
    const vars = placeholders(text);
    if (vars.length) {
      const example = parameterFormat === 'NAMED' ? bodies[0].example?.body_text_named_params : bodies[0].example?.body_text;
      if (!Array.isArray(example) || !example.length) throw new MetaError(100, 'Message template "components" param is missing expected field(s) (example). Give an example value for every variable of the body.');
    }
  }
  const headers = of('HEADER');
  if (headers.length > 1) throw badParam('Param components must contain at most one HEADER.');
  if (headers.length) {
    const format = upper(headers[0].format || 'TEXT');
    if (!['TEXT', 'IMAGE', 'VIDEO', 'GIF', 'DOCUMENT', 'LOCATION'].includes(format)) throw badParam('Param HEADER.format must be one of {TEXT, IMAGE, VIDEO, GIF, DOCUMENT, LOCATION}.');
    if (format === 'TEXT') {
      const text = stringField(headers[0], 'text', "components['HEADER']", { required: true, max: 60 })!;
      if (placeholders(text).length > 1) throw badParam('Param HEADER.text may contain at most one variable.');
    }
  }
  const footers = of('FOOTER');
  if (footers.length > 1) throw badParam('Param components must contain at most one FOOTER.');
  if (footers.length && footers[0].text !== undefined) {
    stringField(footers[0], 'text', "components['FOOTER']", { max: 60 });
    if (placeholders(footers[0].text).length) throw badParam('Param FOOTER.text may not contain variables.');
  }
  const buttonBlocks = of('BUTTONS');
  if (buttonBlocks.length > 1) throw badParam('Param components must contain at most one BUTTONS.');
  if (buttonBlocks.length) validateButtons(arrayField(buttonBlocks[0], 'buttons', "components['BUTTONS']", { required: true, min: 1, max: 10 })! as Json[], category);
  return { name, language, category: category as TemplateCategory, parameterFormat: parameterFormat as TemplateCreate['parameterFormat'], components: components as TemplateComponent[] };
}

function validateButtons(buttons: Json[], category: string): void {
  const count: Record<string, number> = {};
  let groups = 0;
  let previousWasQuick: boolean | undefined;
  for (const button of buttons) {
    const type = upper(button.type);
    if (!BUTTON_TYPES.includes(type)) throw badParam(`Param BUTTONS.buttons[].type "${button.type}" is not supported.`);
    count[type] = (count[type] ?? 0) + 1;
    if (type === 'OTP' && category !== 'AUTHENTICATION') throw badParam('OTP buttons are only allowed in AUTHENTICATION templates.');
    if (type !== 'OTP' && button.text !== undefined) stringField(button, 'text', 'BUTTONS.buttons[]', { max: 25 });
    if (type === 'URL') {
      const url = stringField(button, 'url', 'BUTTONS.buttons[]', { required: true, max: 2000 })!;
      if (placeholders(url).length && !Array.isArray(button.example)) throw new MetaError(100, 'Message template "components" param is missing expected field(s) (example) for a URL button variable.');
    }
    const quick = type === 'QUICK_REPLY';
    if (quick !== previousWasQuick) groups++;
    previousWasQuick = quick;
  }
  if ((count.URL ?? 0) > 2) throw badParam('Param BUTTONS may contain at most 2 URL buttons.');
  if ((count.PHONE_NUMBER ?? 0) > 1) throw badParam('Param BUTTONS may contain at most 1 PHONE_NUMBER button.');
  if ((count.COPY_CODE ?? 0) > 1) throw badParam('Param BUTTONS may contain at most 1 COPY_CODE button.');
  if (count.QUICK_REPLY && groups > 2) throw badParam('Quick reply buttons must be grouped together, before or after the other buttons.');
}

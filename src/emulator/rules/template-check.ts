import { expectedParams } from '../cloud/templates/placeholders.js';
import type { Template } from '../types.js';

/**
 * Template sends, checked against the WABA's templates (all synchronous errors, as Meta answers them):
 * - 132001: no template of that name, not in that language, or not approved (pending, rejected, deleted...);
 * - 132015: paused for low quality; 132016: disabled;
 * - 132000: the number of header, body or button parameters differs from the template's placeholders
 *   (for named parameters: the set of `parameter_name`s differs);
 * - 132012: a media header given the wrong kind of media.
 */
export type TemplateCheck = { ok: true; template: Template } | { ok: false; code: 132000 | 132001 | 132012 | 132015 | 132016; details: string };

const SENDABLE = new Set(['APPROVED', 'REINSTATED', 'FLAGGED']);

export function checkTemplate(templates: readonly Template[], request: Record<string, any>): TemplateCheck {
  const name = String(request.name);
  const language = String(request.language?.code);
  const named = templates.filter((t) => t.name === name && t.status !== 'DELETED');
  if (!named.length) return { ok: false, code: 132001, details: `template name (${name}) does not exist in ${language}` };
  const template = named.find((t) => t.language === language);
  if (!template) return { ok: false, code: 132001, details: `template name (${name}) does not exist in ${language}` };
  if (template.status === 'PAUSED') return { ok: false, code: 132015, details: `Template ${name} is paused due to low quality.` };
  if (template.status === 'DISABLED') return { ok: false, code: 132016, details: `Template ${name} has been disabled.` };
  if (!SENDABLE.has(template.status)) return { ok: false, code: 132001, details: `template name (${name}) in ${language} is ${template.status.toLowerCase()}, not approved` };

  const expected = expectedParams(template);
  const components: Array<Record<string, any>> = Array.isArray(request.components) ? request.components : [];
  const of = (type: string) => components.filter((c) => String(c.type).toLowerCase() === type);
  const params = (type: string) => of(type).flatMap((c) => (Array.isArray(c.parameters) ? c.parameters : []));
  const mismatch = (where: string, want: number, got: number) =>
    ({ ok: false, code: 132000, details: `${where}: number of localizable_params (${got}) does not match the expected number of params (${want})` }) as const;

  const body = params('body');
  if (body.length !== expected.body.count) return mismatch('body', expected.body.count, body.length);
  if (template.parameterFormat === 'NAMED') {
    const given = body.map((p) => p.parameter_name).sort().join(',');
    if (given !== [...expected.body.names].sort().join(',')) return { ok: false, code: 132000, details: `body: parameter names (${given}) do not match the template's (${expected.body.names.join(',')})` };
  }

  const header = params('header');
  if (expected.header.kind === 'media') {
    if (header.length !== 1) return mismatch('header', 1, header.length);
    if (header[0].type !== expected.header.format) return { ok: false, code: 132012, details: `header: expected a ${expected.header.format} parameter, got ${header[0].type}` };
  } else {
    const want = expected.header.kind === 'text' ? expected.header.count : 0;
    if (header.length !== want) return mismatch('header', want, header.length);
  }

  for (const [index, subType] of expected.buttons) {
    const button = of('button').find((c) => Number(c.index) === index);
    const count = Array.isArray(button?.parameters) ? button!.parameters.length : 0;
    if (!button || count !== 1) return mismatch(`button ${index} (${subType})`, 1, count);
  }
  return { ok: true, template };
}

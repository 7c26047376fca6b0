import type { Template, TemplateComponent } from '../../types.js';

/** What a template expects at send time, read from its components. */
export interface ExpectedParams {
  header: { kind: 'none' } | { kind: 'text'; count: number; names: string[] } | { kind: 'media'; format: string };
  body: { count: number; names: string[] };
  /** Button index → the parameter sub_type that must be given at that index. */
  buttons: Map<number, 'url' | 'copy_code'>;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** Distinct placeholders of a text, in order of first appearance (`{{1}}`, `{{customer_name}}`). */
export function placeholders(text: string | undefined): string[] {
  if (!text) return [];
  const seen: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) if (!seen.includes(match[1])) seen.push(match[1]);
  return seen;
}

const find = (components: TemplateComponent[], type: string) => components.find((c) => String(c.type).toUpperCase() === type);

/** Authentication templates have a preset body: "{{1}} is your verification code." (one parameter). */
export function bodyText(template: Pick<Template, 'category' | 'components'>): string | undefined {
  const body = find(template.components, 'BODY');
  if (body?.text) return body.text;
  return template.category === 'AUTHENTICATION' ? '{{1}} is your verification code.' : undefined;
}

export function expectedParams(template: Pick<Template, 'category' | 'components'>): ExpectedParams {
  const header = find(template.components, 'HEADER');
  const format = String(header?.format ?? 'TEXT').toUpperCase();
  const headerNames = placeholders(header?.text);
  const bodyNames = placeholders(bodyText(template));
  const buttons = new Map<number, 'url' | 'copy_code'>();
  (find(template.components, 'BUTTONS')?.buttons ?? []).forEach((button, index) => {
    const type = String(button.type ?? '').toUpperCase();
    if (type === 'URL' && placeholders(button.url).length) buttons.set(index, 'url');
    else if (type === 'OTP' && String(button.otp_type ?? '').toUpperCase() !== 'ZERO_TAP') buttons.set(index, 'url');
    else if (type === 'COPY_CODE') buttons.set(index, 'copy_code');
  });
  return {
    header: !header ? { kind: 'none' } : format === 'TEXT' ? { kind: 'text', count: headerNames.length, names: headerNames } : { kind: 'media', format: format.toLowerCase() },
    body: { count: bodyNames.length, names: bodyNames },
    buttons,
  };
}

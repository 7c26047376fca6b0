import { expectedKeys, placeholderKeys } from './placeholders.js';
import { buttonsOf, findComponent, type TemplateComponent } from './template-shape.js';
import type { RenderableTemplate } from './params.js';

export type HeaderExpectation = { kind: 'none' } | { kind: 'text'; key: string } | { kind: 'media'; format: 'IMAGE' | 'VIDEO' | 'DOCUMENT' } | { kind: 'location' };

export interface ButtonExpectation {
  index: number;
  /** `url`: a URL suffix; `copy_code`: a coupon code; `quick_reply`: an optional payload; `otp`: the code. */
  kind: 'url' | 'copy_code' | 'quick_reply' | 'otp';
  required: boolean;
}

export interface ParameterExpectation {
  header: HeaderExpectation;
  /** Body keys in send order (`1`, `2`, ... or names). */
  body: string[];
  buttons: ButtonExpectation[];
}

/** The parameters a template takes at send time, derived from its components. */
export function expectedParameters(template: RenderableTemplate): ParameterExpectation {
  const components = template.components as TemplateComponent[];
  const header = findComponent(components, 'HEADER');
  let headerExpectation: HeaderExpectation = { kind: 'none' };
  if (header?.format === 'TEXT') {
    const [key] = placeholderKeys(header.text);
    if (key) headerExpectation = { kind: 'text', key };
  } else if (header?.format === 'LOCATION') headerExpectation = { kind: 'location' };
  else if (header && ['IMAGE', 'VIDEO', 'DOCUMENT'].includes(header.format)) headerExpectation = { kind: 'media', format: header.format as 'IMAGE' };

  const authentication = template.category === 'AUTHENTICATION';
  const body = authentication ? ['1'] : expectedKeys(findComponent(components, 'BODY')?.text);
  const buttons: ButtonExpectation[] = [];
  buttonsOf(components).forEach((button, index) => {
    if (button.type === 'URL' && placeholderKeys(button.url).length) buttons.push({ index, kind: 'url', required: true });
    if (button.type === 'COPY_CODE') buttons.push({ index, kind: 'copy_code', required: true });
    if (button.type === 'QUICK_REPLY') buttons.push({ index, kind: 'quick_reply', required: false });
    if (button.type === 'OTP') buttons.push({ index, kind: 'otp', required: true });
  });
  return { header: headerExpectation, body, buttons };
}

/** Body parameter count, the number Meta checks at send (error 132000). */
export const bodyParameterCount = (template: RenderableTemplate): number => expectedParameters(template).body.length;

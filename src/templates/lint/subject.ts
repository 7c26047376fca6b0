import { isRecord, type TemplateBody } from '../../template-text/template-shape.js';

/** A piece of template text a rule looks at, with its JSON pointer. */
export interface TextSite {
  where: 'header' | 'body' | 'footer';
  path: string;
  text: string;
}

export interface ComponentSite {
  index: number;
  path: string;
  component: Record<string, unknown>;
}

export interface ButtonSite {
  index: number;
  path: string;
  button: Record<string, unknown>;
}

export function componentSites(template: TemplateBody): ComponentSite[] {
  const components: unknown = template?.components;
  if (!Array.isArray(components)) return [];
  return components.flatMap((component, index) => (isRecord(component) ? [{ index, path: `/components/${index}`, component }] : []));
}

export function componentSite(template: TemplateBody, type: string): ComponentSite | undefined {
  return componentSites(template).find((site) => site.component.type === type);
}

/** Header (when text), body and footer texts that are strings. */
export function textSites(template: TemplateBody): TextSite[] {
  const out: TextSite[] = [];
  for (const site of componentSites(template)) {
    const { type, text, format } = site.component;
    if (typeof text !== 'string') continue;
    if (type === 'HEADER' && format === 'TEXT') out.push({ where: 'header', path: `${site.path}/text`, text });
    if (type === 'BODY') out.push({ where: 'body', path: `${site.path}/text`, text });
    if (type === 'FOOTER') out.push({ where: 'footer', path: `${site.path}/text`, text });
  }
  return out;
}

export function bodySite(template: TemplateBody): TextSite | undefined {
  return textSites(template).find((s) => s.where === 'body');
}

export function buttonSites(template: TemplateBody): ButtonSite[] {
  const site = componentSite(template, 'BUTTONS');
  const buttons = site?.component.buttons;
  if (!site || !Array.isArray(buttons)) return [];
  return buttons.flatMap((button, index) => (isRecord(button) ? [{ index, path: `${site.path}/buttons/${index}`, button }] : []));
}

/** Every string a customer reads or follows: texts, button labels and URLs. */
export function allStrings(template: TemplateBody): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = textSites(template).map(({ path, text }) => ({ path, text }));
  for (const b of buttonSites(template)) {
    if (typeof b.button.text === 'string') out.push({ path: `${b.path}/text`, text: b.button.text });
    if (typeof b.button.url === 'string') out.push({ path: `${b.path}/url`, text: b.button.url });
  }
  return out;
}

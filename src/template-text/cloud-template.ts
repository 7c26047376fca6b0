import { bindParameters, type BoundParameters } from './bind-parameters.js';
import type { BodyValue, RenderableTemplate, TemplateParams } from './params.js';

/** A parameter in Meta's send shape. */
export type CloudParameter = Record<string, unknown> & { type: string };

export interface CloudComponent {
  type: 'header' | 'body' | 'button';
  sub_type?: 'url' | 'quick_reply' | 'copy_code';
  index?: string;
  parameters: CloudParameter[];
}

/** The `template` object of a Cloud API send (`{ type: "template", template: … }`). */
export interface CloudTemplateObject {
  name: string;
  language: { code: string };
  components?: CloudComponent[];
}

function bodyParameter(key: string, value: BodyValue, named: boolean): CloudParameter {
  const name = named ? { parameter_name: key } : {};
  if (typeof value === 'object' && 'currency' in value) return { type: 'currency', ...name, currency: value.currency };
  if (typeof value === 'object' && 'date_time' in value) return { type: 'date_time', ...name, date_time: value.date_time };
  return { type: 'text', ...name, text: String(value) };
}

/** Cloud API components from bound parameters: header, body, then buttons by position. */
export function cloudComponents(bound: BoundParameters): CloudComponent[] {
  const components: CloudComponent[] = [];
  const h = bound.header;
  if (h?.kind === 'text') components.push({ type: 'header', parameters: [{ type: 'text', ...(bound.named ? { parameter_name: h.key } : {}), text: h.value }] });
  if (h?.kind === 'media') {
    const key = h.format.toLowerCase();
    components.push({ type: 'header', parameters: [{ type: key, [key]: { ...h.media } }] });
  }
  if (h?.kind === 'location') components.push({ type: 'header', parameters: [{ type: 'location', location: { ...h.location } }] });
  if (bound.body.length) components.push({ type: 'body', parameters: bound.body.map((p) => bodyParameter(p.key, p.value, bound.named)) });
  for (const b of bound.buttons) {
    const index = String(b.index);
    if (b.kind === 'url' || b.kind === 'otp') components.push({ type: 'button', sub_type: 'url', index, parameters: [{ type: 'text', text: b.value }] });
    if (b.kind === 'copy_code') components.push({ type: 'button', sub_type: 'copy_code', index, parameters: [{ type: 'coupon_code', coupon_code: b.value }] });
    if (b.kind === 'quick_reply') components.push({ type: 'button', sub_type: 'quick_reply', index, parameters: [{ type: 'payload', payload: b.value }] });
  }
  return components;
}

/**
 * Renders a template and its parameters to the Cloud API `template` object, exactly as sent. Throws
 * TEMPLATE_PARAMETERS_MISMATCH / TEMPLATE_PARAMETER_INVALID (400) where Meta would answer 132000 or 131009.
 */
export function renderCloudTemplate(template: RenderableTemplate, params: TemplateParams = {}): CloudTemplateObject {
  const components = cloudComponents(bindParameters(template, params));
  return { name: template.name, language: { code: template.language }, ...(components.length ? { components } : {}) };
}

import type { TemplateParams } from './params.js';

/** A parameter of a template send as the pipeline stores it (Cloud API shape). */
export type TemplateSendParameter = { type: string; text?: string; payload?: string; coupon_code?: string; currency?: unknown; date_time?: unknown; image?: unknown; video?: unknown; document?: unknown; location?: unknown };
/** A component of a template send as the pipeline stores it (Cloud API shape). */
export type TemplateSendComponent = { type: string; sub_type?: string; index?: string | number; parameters?: TemplateSendParameter[] };

/** A template send (Cloud API shape): the template's name and language, and its parameters by component. */
export interface TemplateSend {
  name: string;
  language: string;
  components?: TemplateSendComponent[];
}

/** A template send's components → the renderers' parameter shape. Pure. */
export function sendComponentsToParams(components: TemplateSendComponent[] | undefined): TemplateParams {
  const params: TemplateParams = {};
  for (const component of components ?? []) {
    const values = component.parameters ?? [];
    if (component.type === 'body') {
      params.body = values.map((p) => (p.type === 'currency' ? { currency: p.currency } : p.type === 'date_time' ? { date_time: p.date_time } : (p.text ?? '')) as never);
    } else if (component.type === 'header' && values[0]) {
      const p = values[0];
      params.header = (p.type === 'text' ? (p.text ?? '') : { [p.type]: p[p.type as keyof TemplateSendParameter] }) as never;
    } else if (component.type === 'button' && values[0]) {
      const p = values[0];
      params.buttons = { ...params.buttons, [String(component.index ?? 0)]: p.text ?? p.payload ?? p.coupon_code ?? '' };
    }
  }
  return params;
}

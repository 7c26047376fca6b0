import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { loadRenderableTemplate, renderUltraMsgMessage, type TemplateParams } from '../templates/index.js';

/**
 * What the outbound pipeline needs from the templates module beyond the gate: turning a Cloud API
 * template send (name, language, components with parameters) into the text UltraMsg sends, since
 * UltraMsg has no templates.
 */
type CloudParameter = { type: string; text?: string; payload?: string; coupon_code?: string; currency?: unknown; date_time?: unknown; image?: unknown; video?: unknown; document?: unknown; location?: unknown };
type CloudComponent = { type: string; sub_type?: string; index?: string | number; parameters?: CloudParameter[] };

/** Cloud API send components → the templates module's parameter shape. Pure. */
export function cloudComponentsToParams(components: CloudComponent[] | undefined): TemplateParams {
  const params: TemplateParams = {};
  for (const component of components ?? []) {
    const values = component.parameters ?? [];
    if (component.type === 'body') {
      params.body = values.map((p) => (p.type === 'currency' ? { currency: p.currency } : p.type === 'date_time' ? { date_time: p.date_time } : (p.text ?? '')) as never);
    } else if (component.type === 'header' && values[0]) {
      const p = values[0];
      params.header = (p.type === 'text' ? (p.text ?? '') : { [p.type]: p[p.type as keyof CloudParameter] }) as never;
    } else if (component.type === 'button' && values[0]) {
      const p = values[0];
      params.buttons = { ...params.buttons, [String(component.index ?? 0)]: p.text ?? p.payload ?? p.coupon_code ?? '' };
    }
  }
  return params;
}

/** The text an UltraMsg sender sends for a template, or a 422 saying why it cannot be rendered. */
export async function renderTemplateForUltraMsg(
  ctx: ParleyContext,
  ref: { workspaceId: string; senderId: string; name: string; language: string; components?: CloudComponent[] },
): Promise<string> {
  const template = await loadRenderableTemplate(ctx, { workspaceId: ref.workspaceId, senderId: ref.senderId, name: ref.name, language: ref.language });
  if (!template) {
    throw new ParleyError('TEMPLATE_RENDER_UNSUPPORTED', {
      message: `UltraMsg has no templates: Parley sends the template's text, but ${ref.name} (${ref.language}) has no live version in Parley.`,
      field: '/template/name',
    });
  }
  const rendered = renderUltraMsgMessage(template, cloudComponentsToParams(ref.components));
  return rendered.endpoint === 'messages/chat' ? rendered.body : rendered.caption;
}

/** The template of a Cloud API template payload, as the gates see it (with its body parameter count). */
export function templateRefOf(payload: Record<string, unknown>): { name: string; language: string; parameterCount: number } {
  const components = (payload.components as CloudComponent[] | undefined) ?? [];
  const body = components.find((c) => c.type === 'body');
  return { name: String(payload.name), language: String((payload.language as { code?: string } | undefined)?.code ?? ''), parameterCount: body?.parameters?.length ?? 0 };
}

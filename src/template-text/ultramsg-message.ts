import { ParleyError } from '../errors/parley-error.js';
import { substitute } from './placeholders.js';
import { buttonsOf, findComponent, type TemplateComponent } from './template-shape.js';
import { bindParameters, type BoundParameters } from './bind-parameters.js';
import type { BodyValue, RenderableTemplate, TemplateParams } from './params.js';

/**
 * What UltraMsg receives for a template: it has no templates, so the template is rendered to text
 * (header, body and footer as paragraphs; URL, phone and coupon buttons as lines), sent as a chat message
 * or as the caption of the header media.
 */
export type UltraMsgMessage =
  | { endpoint: 'messages/chat'; body: string }
  | { endpoint: 'messages/image'; image: string; caption: string }
  | { endpoint: 'messages/video'; video: string; caption: string }
  | { endpoint: 'messages/document'; document: string; filename: string; caption: string };

/** UltraMsg's chat body limit. */
export const ULTRAMSG_MAX_BODY = 4096;

const display = (value: BodyValue): string =>
  typeof value === 'object' ? ('currency' in value ? value.currency.fallback_value : value.date_time.fallback_value) : String(value);

/** Meta's preset authentication wording (English: the only language Parley renders it in for UltraMsg). */
function authenticationText(code: string, components: TemplateComponent[]): string[] {
  const body = findComponent(components, 'BODY');
  const footer = findComponent(components, 'FOOTER');
  const lines = [`${code} is your verification code.${body?.add_security_recommendation ? ' For your security, do not share this code.' : ''}`];
  if (footer?.code_expiration_minutes) lines.push(`This code expires in ${footer.code_expiration_minutes} minutes.`);
  return lines;
}

/** The template as the text the customer reads. */
export function renderTemplateText(template: RenderableTemplate, bound: BoundParameters): string {
  const components = template.components as TemplateComponent[];
  if (template.category === 'AUTHENTICATION') return authenticationText(String(bound.body[0].value), components).join('\n\n');
  const values = new Map(bound.body.map((p) => [p.key, display(p.value)]));
  const parts: string[] = [];
  const header = findComponent(components, 'HEADER');
  if (header?.format === 'TEXT' && header.text) parts.push(substitute(header.text, (key) => (bound.header?.kind === 'text' && bound.header.key === key ? bound.header.value : undefined)));
  if (bound.header?.kind === 'location') parts.push([bound.header.location.name, bound.header.location.address].filter(Boolean).join('\n') || `${bound.header.location.latitude}, ${bound.header.location.longitude}`);
  const body = findComponent(components, 'BODY');
  if (body?.text) parts.push(substitute(body.text, (key) => values.get(key)));
  const footer = findComponent(components, 'FOOTER');
  if (footer?.text) parts.push(footer.text);
  const buttonValues = new Map(bound.buttons.map((b) => [b.index, b.value]));
  const lines: string[] = [];
  buttonsOf(components).forEach((button, index) => {
    if (button.type === 'URL') lines.push(`${button.text}: ${substitute(button.url, () => buttonValues.get(index))}`);
    if (button.type === 'PHONE_NUMBER') lines.push(`${button.text}: ${button.phone_number}`);
    if (button.type === 'COPY_CODE' && buttonValues.has(index)) lines.push(buttonValues.get(index)!);
  });
  if (lines.length) parts.push(lines.join('\n'));
  return parts.join('\n\n');
}

function fileName(link: string, fallback: string): string {
  try {
    return decodeURIComponent(new URL(link).pathname.split('/').pop() || '') || fallback;
  } catch {
    return fallback;
  }
}

/** Renders a template and its parameters to UltraMsg's send payload (without `to` and `token`). */
export function renderUltraMsgMessage(template: RenderableTemplate, params: TemplateParams = {}): UltraMsgMessage {
  const bound = bindParameters(template, params);
  const text = renderTemplateText(template, bound);
  if (text.length > ULTRAMSG_MAX_BODY) throw new ParleyError('TEMPLATE_PARAMETER_INVALID', { message: `The rendered text is ${text.length} characters; UltraMsg takes ${ULTRAMSG_MAX_BODY}.`, field: '/body' });
  if (bound.header?.kind !== 'media') return { endpoint: 'messages/chat', body: text };
  const { format, media } = bound.header;
  if (!media.link) {
    throw new ParleyError('TEMPLATE_RENDER_UNSUPPORTED', { message: `UltraMsg cannot use a Cloud API media id; pass the ${format.toLowerCase()} header as a link.`, field: `/header/${format.toLowerCase()}` });
  }
  if (format === 'IMAGE') return { endpoint: 'messages/image', image: media.link, caption: text };
  if (format === 'VIDEO') return { endpoint: 'messages/video', video: media.link, caption: text };
  return { endpoint: 'messages/document', document: media.link, filename: media.filename ?? fileName(media.link, 'document'), caption: text };
}

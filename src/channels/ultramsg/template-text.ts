import { ParleyError } from '../../errors/parley-error.js';
import type { RenderableTemplate } from '../../template-text/params.js';
import { sendComponentsToParams, type TemplateSend } from '../../template-text/send-components.js';
import { renderUltraMsgMessage } from '../../template-text/ultramsg-message.js';

/**
 * The text UltraMsg sends for a template (it has no templates): the live version Parley holds, filled
 * in with the send's parameters; with a media header, the caption's text (the media is not sent).
 * Throws a 422 when Parley holds no live version, and the renderer's 400s for parameters that do not fit.
 */
export function renderUltraMsgTemplate(send: TemplateSend, template: RenderableTemplate | undefined): string {
  if (!template) {
    throw new ParleyError('TEMPLATE_RENDER_UNSUPPORTED', {
      message: `UltraMsg has no templates: Parley sends the template's text, but ${send.name} (${send.language}) has no live version in Parley.`,
      field: '/template/name',
    });
  }
  const rendered = renderUltraMsgMessage(template, sendComponentsToParams(send.components));
  return rendered.endpoint === 'messages/chat' ? rendered.body : rendered.caption;
}

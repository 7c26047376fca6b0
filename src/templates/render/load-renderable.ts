import type { ParleyContext } from '../../runtime/context.js';
import { getVersionById } from '../store/template-queries.js';
import { findTemplateForSend, wabaOfSender } from '../usability/load-usability.js';
import type { RenderableTemplate } from '../../template-text/params.js';

/**
 * The live version of a template as the renderers take it, for a sender (its WABA) or a WABA; undefined
 * when the template does not exist or has no live version.
 */
export async function loadRenderableTemplate(
  ctx: ParleyContext,
  ref: { workspaceId: string; senderId?: string; wabaId?: string | null; name: string; language: string },
): Promise<RenderableTemplate | undefined> {
  const wabaId = ref.wabaId !== undefined ? ref.wabaId : ref.senderId ? await wabaOfSender(ctx, ref.workspaceId, ref.senderId) : null;
  const template = await findTemplateForSend(ctx, { workspaceId: ref.workspaceId, wabaId, name: ref.name, language: ref.language });
  const live = template?.liveVersionId ? await getVersionById(ctx.db, template.liveVersionId) : undefined;
  if (!template || !live) return undefined;
  return { name: template.name, language: template.language, category: live.category, parameter_format: live.parameterFormat, components: live.components };
}

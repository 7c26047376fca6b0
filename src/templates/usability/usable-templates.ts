import type { UsableTemplates } from '../../conversations/ports.js';
import { getVersionById, listAllTemplates } from '../store/template-queries.js';
import { bodyTextOf, forLanguage, parametersOf } from './template-choices.js';
import { isSendable } from './template-usability.js';
import { wabaOfSender } from './load-usability.js';

/**
 * The conversations module's `UsableTemplates` port: the templates of the sender's WhatsApp Business
 * Account (every WABA of the workspace for a sender without one) that can be sent now (a live
 * version, a provider status that sends: `isSendable`), for the contact's language (`forLanguage`),
 * each with its body text and the parameters a send must give, read from its live version.
 */
export const usableTemplates: UsableTemplates = async (ctx, input) => {
  const wabaId = await wabaOfSender(ctx, input.workspaceId, input.senderId);
  const sendable = (await listAllTemplates(ctx.db, input.workspaceId)).filter((t) => (wabaId === null || t.wabaId === wabaId) && isSendable(t));
  const chosen = forLanguage(sendable, input.language);
  const out = [];
  for (const t of chosen) {
    const live = await getVersionById(ctx.db, t.liveVersionId!);
    if (!live) continue;
    const renderable = { name: t.name, language: t.language, category: live.category, parameter_format: live.parameterFormat, components: live.components };
    out.push({ id: t.id, name: t.name, language: t.language, category: live.category, body: bodyTextOf(renderable), parameters: parametersOf(renderable), components: live.components });
  }
  return out;
};

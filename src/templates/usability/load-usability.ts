import type { ParleyContext } from '../../runtime/context.js';
import { wabaIdOfSender } from '../../senders/sender-queries.js';
import { bodyParameterCount } from '../../template-text/expected-parameters.js';
import { findTemplate, getVersionById } from '../store/template-queries.js';
import { toTemplate, type Template } from '../store/template-records.js';
import { normalizeLanguage } from '../language.js';
import { decideTemplateUsability, isSendable, type TemplateFacts, type TemplateUsability, type UsabilityFacts } from './template-usability.js';

async function factsOf(ctx: ParleyContext, template: Template | undefined): Promise<TemplateFacts | null> {
  if (!template) return null;
  const live = template.liveVersionId ? await getVersionById(ctx.db, template.liveVersionId) : undefined;
  return {
    id: template.id,
    name: template.name,
    language: template.language,
    providerStatus: template.providerStatus,
    liveVersionId: template.liveVersionId,
    bodyParameterCount: live ? bodyParameterCount({ name: template.name, language: template.language, category: live.category, parameter_format: live.parameterFormat, components: live.components }) : null,
    backup: template.backup,
  };
}

/**
 * Finds the template a send names. With a WABA (Cloud API senders) it is that WABA's template; without
 * one (UltraMsg senders, which receive templates rendered as text) any of the workspace's WABAs, the
 * sendable translation first.
 */
export async function findTemplateForSend(ctx: ParleyContext, ref: { workspaceId: string; wabaId: string | null; name: string; language: string }): Promise<Template | undefined> {
  const language = normalizeLanguage(ref.language) ?? ref.language;
  if (ref.wabaId) return findTemplate(ctx.db, { workspaceId: ref.workspaceId, wabaId: ref.wabaId, name: ref.name, language });
  const rows = await ctx.db.selectFrom('templates').selectAll().where('workspace_id', '=', ref.workspaceId).where('name', '=', ref.name).where('language', '=', language).orderBy('created_at').execute();
  const templates = rows.map(toTemplate);
  return templates.find((t) => isSendable(t)) ?? templates[0];
}

export async function loadUsabilityFacts(ctx: ParleyContext, ref: { workspaceId: string; wabaId: string | null; name: string; language: string }): Promise<UsabilityFacts> {
  const template = await findTemplateForSend(ctx, ref);
  const facts = await factsOf(ctx, template);
  let backupTemplate: TemplateFacts | null = null;
  if (template?.backup?.kind === 'template') {
    backupTemplate = await factsOf(ctx, await findTemplateForSend(ctx, { workspaceId: ref.workspaceId, wabaId: template.wabaId, name: template.backup.name, language: template.backup.language ?? template.language }));
  }
  return { template: facts, backupTemplate };
}

/** The sender's WABA (null for UltraMsg senders). */
export async function wabaOfSender(ctx: ParleyContext, workspaceId: string, senderId: string): Promise<string | null> {
  return (await wabaIdOfSender(ctx.db, workspaceId, senderId)) ?? null;
}

/**
 * Loader + decision for the outbound pipeline: may a message use template `name` in `language` now?
 * Give `wabaId`, or `senderId` to use that sender's WABA.
 */
export async function checkTemplateUsable(
  ctx: ParleyContext,
  request: { workspaceId: string; wabaId?: string | null; senderId?: string; name: string; language: string; parameterCount?: number },
): Promise<TemplateUsability> {
  const wabaId = request.wabaId !== undefined ? request.wabaId : request.senderId ? await wabaOfSender(ctx, request.workspaceId, request.senderId) : null;
  const facts = await loadUsabilityFacts(ctx, { workspaceId: request.workspaceId, wabaId, name: request.name, language: request.language });
  return decideTemplateUsability(facts, request);
}

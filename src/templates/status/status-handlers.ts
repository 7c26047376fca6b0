import type { DomainEventHandler } from '../../runtime/context.js';
import { normalizeLanguage } from '../language.js';
import { findTemplatesForProviderFact } from '../store/template-queries.js';
import { applyProviderFact, applyQualityFact } from './apply-provider-fact.js';
import { readStatusDetail } from './status-detail.js';

/** `template.status` (from `message_template_status_update` webhooks) → the template's status, versions and alerts. */
export const onTemplateStatus: DomainEventHandler<'template.status'> = async (ctx, event) => {
  const language = normalizeLanguage(event.language) ?? event.language;
  const templates = await findTemplatesForProviderFact(ctx.db, { wabaId: event.wabaId, name: event.name, language, providerTemplateId: event.templateId });
  const { category, ...detail } = readStatusDetail(event.detail);
  for (const template of templates) {
    await applyProviderFact(ctx, template, { event: event.event, reason: event.reason, detail: { ...detail }, at: event.at, source: 'webhook', providerTemplateId: event.templateId, category });
  }
  if (templates.length === 0) ctx.logger.info({ wabaId: event.wabaId, name: event.name, language }, 'template status for a template Parley does not know; the reconciliation poll imports it');
};

/** `template.quality` (from `message_template_quality_update` webhooks) → the template's quality score. */
export const onTemplateQuality: DomainEventHandler<'template.quality'> = async (ctx, event) => {
  const language = normalizeLanguage(event.language) ?? event.language;
  const templates = await findTemplatesForProviderFact(ctx.db, { wabaId: event.wabaId, name: event.name, language, providerTemplateId: event.templateId });
  for (const template of templates) await applyQualityFact(ctx, template, { newScore: event.newScore, previousScore: event.previousScore, at: event.at });
};

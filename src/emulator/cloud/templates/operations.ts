import type { EmulatorCore } from '../../core.js';
import { newGraphId } from '../../shared/ids.js';
import type { QualityScore, Template, TemplateStatus } from '../../types.js';
import { webhookLanguage } from '../../webhooks/cloud-payloads.js';
import { reviewTemplate } from './review.js';
import type { TemplateCreate } from './validate-create.js';

/** Creates a PENDING template and schedules its review; the verdict is announced by webhook. */
export function createTemplate(core: EmulatorCore, input: TemplateCreate): Template {
  const template: Template = { ...input, id: newGraphId(), status: 'PENDING', quality: 'UNKNOWN', createdAt: core.clock.now() };
  core.state.templates.push(template);
  core.timers.after(core.config.behaviour.templateReview.delayMs, () => {
    if (template.status !== 'PENDING') return;
    const decision = reviewTemplate(template, core.config.behaviour.templateReview.rules);
    setTemplateStatus(core, template, decision.status, { reason: decision.reason, rejectionInfo: decision.rejectionInfo });
  });
  return template;
}

export interface StatusExtras {
  reason?: string | null;
  rejectionInfo?: { reason: string; recommendation: string };
}

/** Changes a template's status and posts `message_template_status_update`, shaped like Meta's. */
export function setTemplateStatus(core: EmulatorCore, template: Template, status: TemplateStatus, extras: StatusExtras = {}): void {
  template.status = status;
  const now = core.clock.now();
  const value: Record<string, unknown> = {
    event: status,
    message_template_id: Number(template.id),
    message_template_name: template.name,
    message_template_language: webhookLanguage(template.language),
    reason: extras.reason === undefined ? (status === 'REJECTED' ? 'INVALID_FORMAT' : 'NONE') : extras.reason,
    message_template_category: template.category,
  };
  if (status === 'REJECTED' && extras.rejectionInfo) value.rejection_info = extras.rejectionInfo;
  if (status === 'PAUSED') value.other_info = { title: 'FIRST_PAUSE', description: `Your ${template.name} template has been paused because of low quality.` };
  if (status === 'DISABLED') value.disable_info = { disable_date: new Date(now).toISOString().slice(0, 10) };
  core.emitCloud({ kind: 'field', field: 'message_template_status_update', value, at: now });
}

/** Changes a template's quality score and posts `message_template_quality_update`. */
export function setTemplateQuality(core: EmulatorCore, template: Template, quality: QualityScore): void {
  const previous = template.quality;
  template.quality = quality;
  core.emitCloud({
    kind: 'field',
    field: 'message_template_quality_update',
    value: {
      previous_quality_score: previous,
      new_quality_score: quality,
      message_template_id: Number(template.id),
      message_template_name: template.name,
      message_template_language: webhookLanguage(template.language),
    },
    at: core.clock.now(),
  });
}

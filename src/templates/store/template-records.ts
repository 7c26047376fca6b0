import type { Selectable } from 'kysely';
import type { TemplateComponent } from '../../template-text/template-shape.js';
import type { Finding } from '../lint/types.js';
import type { TemplateDiff } from '../diff/template-diff.js';
import type { TemplatesTable, TemplateVersionsTable } from '../tables.js';

/** What sends of a template use while it cannot be sent. */
export type Backup = { kind: 'template'; name: string; language?: string } | { kind: 'channel'; channel: 'sms' | 'email' };

export const VERSION_STATES = ['draft', 'approved', 'changes_requested', 'submitted', 'live', 'rejected', 'superseded'] as const;
export type VersionState = (typeof VERSION_STATES)[number];

export interface Template {
  id: string;
  workspaceId: string;
  wabaId: string;
  name: string;
  language: string;
  category: string;
  latestVersion: number;
  liveVersionId: string | null;
  submittedVersionId: string | null;
  providerTemplateId: string | null;
  providerStatus: string | null;
  providerStatusAt: number | null;
  providerStatusDetail: Record<string, unknown> | null;
  quality: string | null;
  rejectionReason: string | null;
  rejectionInfo: Record<string, unknown> | null;
  backup: Backup | null;
  createdAt: number;
  updatedAt: number;
}

export interface TemplateVersion {
  id: string;
  templateId: string;
  workspaceId: string;
  number: number;
  category: string;
  parameterFormat: 'POSITIONAL' | 'NAMED';
  allowCategoryChange: boolean;
  messageSendTtlSeconds: number | null;
  components: TemplateComponent[];
  diff: TemplateDiff | null;
  lint: Finding[];
  state: VersionState;
  authorKeyId: string | null;
  reviewerKeyId: string | null;
  reviewNote: string | null;
  reviewedAt: number | null;
  submittedByKeyId: string | null;
  submittedAt: number | null;
  acknowledgedWarnings: string[] | null;
  providerReason: string | null;
  createdAt: number;
}

const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

export function toTemplate(row: Selectable<TemplatesTable>): Template {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    wabaId: row.waba_id,
    name: row.name,
    language: row.language,
    category: row.category,
    latestVersion: Number(row.latest_version),
    liveVersionId: row.live_version_id,
    submittedVersionId: row.submitted_version_id,
    providerTemplateId: row.provider_template_id,
    providerStatus: row.provider_status,
    providerStatusAt: row.provider_status_at === null ? null : Number(row.provider_status_at),
    providerStatusDetail: json(row.provider_status_detail),
    quality: row.quality,
    rejectionReason: row.rejection_reason,
    rejectionInfo: json(row.rejection_info),
    backup: json(row.backup),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function toVersion(row: Selectable<TemplateVersionsTable>): TemplateVersion {
  return {
    id: row.id,
    templateId: row.template_id,
    workspaceId: row.workspace_id,
    number: Number(row.number),
    category: row.category,
    parameterFormat: row.parameter_format as 'POSITIONAL' | 'NAMED',
    allowCategoryChange: Boolean(Number(row.allow_category_change)),
    messageSendTtlSeconds: row.message_send_ttl_seconds === null ? null : Number(row.message_send_ttl_seconds),
    components: JSON.parse(row.components) as TemplateComponent[],
    diff: json(row.diff),
    lint: JSON.parse(row.lint) as Finding[],
    state: row.state as VersionState,
    authorKeyId: row.author_key_id,
    reviewerKeyId: row.reviewer_key_id,
    reviewNote: row.review_note,
    reviewedAt: row.reviewed_at === null ? null : Number(row.reviewed_at),
    submittedByKeyId: row.submitted_by_key_id,
    submittedAt: row.submitted_at === null ? null : Number(row.submitted_at),
    acknowledgedWarnings: json(row.acknowledged_warnings),
    providerReason: row.provider_reason,
    createdAt: Number(row.created_at),
  };
}

/** The create body Meta takes for a version of a template. */
export function createBodyOf(template: Pick<Template, 'name' | 'language'>, version: TemplateVersion) {
  return {
    name: template.name,
    language: template.language,
    category: version.category,
    ...(version.parameterFormat === 'NAMED' ? { parameter_format: 'NAMED' as const } : {}),
    ...(version.allowCategoryChange ? { allow_category_change: true } : {}),
    ...(version.messageSendTtlSeconds !== null ? { message_send_ttl_seconds: version.messageSendTtlSeconds } : {}),
    components: version.components,
  };
}

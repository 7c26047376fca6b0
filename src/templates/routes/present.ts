import { iso } from '../../http/schemas.js';
import type { Template, TemplateVersion } from '../store/template-records.js';
import { isSendable } from '../usability/template-usability.js';

export function presentTemplate(t: Template, versions: { live: number | null; submitted: number | null }) {
  return {
    id: t.id,
    wabaId: t.wabaId,
    name: t.name,
    language: t.language,
    category: t.category,
    status: t.providerStatus ?? (t.submittedVersionId ? 'SUBMITTED' : 'DRAFT'),
    sendable: isSendable(t),
    providerTemplateId: t.providerTemplateId,
    quality: t.quality,
    latestVersion: t.latestVersion,
    liveVersion: versions.live,
    submittedVersion: versions.submitted,
    rejection: t.rejectionReason || t.rejectionInfo ? { reason: t.rejectionReason, info: t.rejectionInfo } : null,
    statusDetail: t.providerStatusDetail,
    backup: t.backup,
    createdAt: iso(t.createdAt)!,
    updatedAt: iso(t.updatedAt)!,
  };
}

export function presentVersion(v: TemplateVersion) {
  return {
    id: v.id,
    number: v.number,
    state: v.state,
    category: v.category,
    parameterFormat: v.parameterFormat,
    allowCategoryChange: v.allowCategoryChange,
    messageSendTtlSeconds: v.messageSendTtlSeconds,
    components: v.components as unknown as Array<Record<string, unknown>>,
    diff: v.diff ? { text: v.diff.text, changes: v.diff.changes as unknown as Array<Record<string, unknown>> } : null,
    lint: v.lint,
    authorKeyId: v.authorKeyId,
    reviewerKeyId: v.reviewerKeyId,
    reviewNote: v.reviewNote,
    reviewedAt: iso(v.reviewedAt),
    submittedByKeyId: v.submittedByKeyId,
    submittedAt: iso(v.submittedAt),
    acknowledgedWarnings: v.acknowledgedWarnings,
    providerReason: v.providerReason,
    createdAt: iso(v.createdAt)!,
  };
}

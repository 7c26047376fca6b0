import type { Db } from '../../db/database.js';
import { ParleyError } from '../../errors/parley-error.js';
import { getVersion } from '../store/template-queries.js';
import type { Template, TemplateVersion } from '../store/template-records.js';

export async function requireLatestVersion(db: Db, template: Template, number: number): Promise<TemplateVersion> {
  const version = await getVersion(db, template.id, number);
  if (!version) throw new ParleyError('TEMPLATE_VERSION_NOT_FOUND', { details: { templateId: template.id, version: number } });
  if (version.number !== template.latestVersion) {
    throw new ParleyError('TEMPLATE_REVIEW_STATE', { message: `Version ${number} is not the latest (${template.latestVersion}); only the latest version can be reviewed or submitted.`, details: { state: version.state, latest: template.latestVersion } });
  }
  return version;
}

/**
 * Internal review: someone other than the author approves a version, or asks for changes. The author
 * is the API key that created the version; the same key cannot approve it.
 */
export async function reviewVersion(
  db: Db,
  template: Template,
  number: number,
  decision: { outcome: 'approve' | 'request_changes'; reviewerKeyId: string; note?: string | null; now: number },
): Promise<TemplateVersion> {
  const version = await requireLatestVersion(db, template, number);
  if (version.state !== 'draft' && version.state !== 'changes_requested') {
    throw new ParleyError('TEMPLATE_REVIEW_STATE', { message: `Version ${number} is ${version.state}; only a draft can be reviewed.`, details: { state: version.state } });
  }
  if (decision.outcome === 'approve' && version.authorKeyId !== null && version.authorKeyId === decision.reviewerKeyId) {
    throw new ParleyError('TEMPLATE_SELF_APPROVAL', { details: { authorKeyId: version.authorKeyId } });
  }
  const state = decision.outcome === 'approve' ? 'approved' : 'changes_requested';
  const updated = await db
    .updateTable('template_versions')
    .set({ state, reviewer_key_id: decision.reviewerKeyId, review_note: decision.note ?? null, reviewed_at: decision.now })
    .where('id', '=', version.id)
    .where('state', '=', version.state)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new ParleyError('TEMPLATE_REVIEW_STATE', { message: 'The version was reviewed by someone else at the same time.', details: { state: version.state } });
  return (await getVersion(db, template.id, number))!;
}

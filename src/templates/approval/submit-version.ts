import { ParleyError, isParleyError } from '../../errors/parley-error.js';
import type { ParleyContext } from '../../runtime/context.js';
import { lintOptionsFrom } from '../lint/lint-options.js';
import { checkSubmission, lintTemplate } from '../lint/run-lint.js';
import { connectionForWaba } from '../provider/waba-connection.js';
import { applyProviderFact } from '../status/apply-provider-fact.js';
import { observedAt } from '../status/observed-at.js';
import { getTemplate, getVersion } from '../store/template-queries.js';
import { createBodyOf, type Template, type TemplateVersion } from '../store/template-records.js';
import type { TemplateBody } from '../../template-text/template-shape.js';
import { requireLatestVersion } from './review-version.js';

/**
 * Submits an internally approved version to the provider. Lint runs again (rules may be newer than the
 * version): errors refuse, warnings must be acknowledged by rule id. The template is marked as waiting
 * for review before the provider is called, which also stops a second submission racing this one; a
 * provider refusal undoes the mark. A template Meta already knows is edited (`POST /{template_id}`),
 * a new one created.
 */
export async function submitVersion(
  ctx: ParleyContext,
  template: Template,
  number: number,
  options: { submitterKeyId: string; acknowledgedWarnings: string[] },
): Promise<{ template: Template; version: TemplateVersion }> {
  const version = await requireLatestVersion(ctx.db, template, number);
  if (version.state !== 'approved') {
    throw new ParleyError('TEMPLATE_REVIEW_STATE', { message: `Version ${number} is ${version.state}; it must be approved by a second reviewer before submission.`, details: { state: version.state } });
  }
  const body = createBodyOf(template, version);
  const check = checkSubmission(lintTemplate(body as TemplateBody, lintOptionsFrom(ctx.config)), options.acknowledgedWarnings);
  if (check.errors.length) {
    throw new ParleyError('TEMPLATE_INVALID', { message: `The template has ${check.errors.length} lint error(s); the first: ${check.errors[0].message}`, field: check.errors[0].path, details: { findings: check.errors } });
  }
  if (check.unacknowledged.length) {
    const ids = [...new Set(check.unacknowledged.map((f) => f.ruleId))];
    throw new ParleyError('TEMPLATE_WARNINGS_UNACKNOWLEDGED', { message: `Acknowledge the warnings ${ids.join(', ')} to submit.`, details: { findings: check.unacknowledged, ruleIds: ids } });
  }
  const connection = await connectionForWaba(ctx, template.workspaceId, template.wabaId);

  const now = ctx.clock.now();
  const claimed = await ctx.db.transaction().execute(async (trx) => {
    const claim = await trx
      .updateTable('templates')
      .set({ submitted_version_id: version.id, updated_at: now })
      .where('id', '=', template.id)
      .where('submitted_version_id', 'is', null)
      .executeTakeFirst();
    if (Number(claim.numUpdatedRows) !== 1) return false;
    await trx
      .updateTable('template_versions')
      .set({ state: 'submitted', submitted_by_key_id: options.submitterKeyId, submitted_at: now, acknowledged_warnings: JSON.stringify(options.acknowledgedWarnings) })
      .where('id', '=', version.id)
      .execute();
    return true;
  });
  if (!claimed) throw new ParleyError('TEMPLATE_SUBMISSION_PENDING', { details: { templateId: template.id } });

  try {
    if (template.providerTemplateId) {
      await connection.edit(template.providerTemplateId, { category: version.category, components: version.components });
      await applyProviderFact(ctx, { ...template, submittedVersionId: version.id }, { event: 'PENDING', detail: { edit: true }, at: observedAt(ctx.clock.now(), template.providerStatusAt), source: 'submit' });
    } else {
      const result = await connection.create(body);
      await applyProviderFact(ctx, { ...template, submittedVersionId: version.id }, {
        event: result.status,
        detail: { response: result },
        at: observedAt(ctx.clock.now(), template.providerStatusAt),
        source: 'submit',
        providerTemplateId: result.id,
        category: result.category,
      });
    }
  } catch (error) {
    // The provider did not take it: the version goes back to approved so it can be submitted again.
    await ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('templates').set({ submitted_version_id: null, updated_at: ctx.clock.now() }).where('id', '=', template.id).where('submitted_version_id', '=', version.id).execute();
      await trx.updateTable('template_versions').set({ state: 'approved', submitted_by_key_id: null, submitted_at: null }).where('id', '=', version.id).where('state', '=', 'submitted').execute();
    });
    if (isParleyError(error)) throw error;
    throw new ParleyError('TEMPLATE_PROVIDER_UNAVAILABLE', { message: `Submitting to the provider failed: ${(error as Error).message}`, cause: error });
  }
  return { template: (await getTemplate(ctx.db, template.workspaceId, template.id))!, version: (await getVersion(ctx.db, template.id, number))! };
}

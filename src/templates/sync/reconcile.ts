import { isParleyError } from '../../errors/parley-error.js';
import type { ParleyContext } from '../../runtime/context.js';
import type { ProviderTemplate } from '../../channels/port.js';
import { createTemplate } from '../authoring/create-template.js';
import { normalizeLanguage } from '../language.js';
import { lintOptionsFrom } from '../lint/lint-options.js';
import { connectionForWaba, wabasToReconcile } from '../provider/waba-connection.js';
import { applyProviderFact, applyQualityFact } from '../status/apply-provider-fact.js';
import { observedAt } from '../status/observed-at.js';
import { statusAfter } from '../status/provider-status.js';
import type { VersionState } from '../store/template-records.js';
import { toTemplate } from '../store/template-records.js';
import { CATEGORIES, type Category, type TemplateComponent } from '../../template-text/template-shape.js';
import { MINUTE } from '../../shared/time.js';
import { forgetFacts } from '../../runtime/fact-caches.js';

export interface ReconcileReport {
  workspaceId: string;
  wabaId: string;
  checked: number;
  updated: number;
  imported: number;
  error?: { code: string; message: string };
}

/** A template found at the provider but not in Parley starts at the version state its status implies. */
function importedState(status: string): VersionState {
  if (status === 'PENDING') return 'submitted';
  if (status === 'REJECTED') return 'rejected';
  return 'live';
}

async function importTemplate(ctx: ParleyContext, workspaceId: string, wabaId: string, remote: ProviderTemplate, language: string): Promise<void> {
  const category: Category = (CATEGORIES as readonly string[]).includes(remote.category) ? (remote.category as Category) : 'UTILITY';
  const components = remote.components as TemplateComponent[];
  const named = JSON.stringify(components).match(/\{\{[a-z][a-z0-9_]*\}\}/);
  const at = observedAt(ctx.clock.now(), null);
  const { template } = await createTemplate(
    ctx.db,
    workspaceId,
    { wabaId, name: remote.name, language, category, parameterFormat: named ? 'NAMED' : 'POSITIONAL', components },
    { authorKeyId: null, now: ctx.clock.now(), initialState: importedState(statusAfter(remote.status)), provider: { status: statusAfter(remote.status), at, templateId: remote.id }, lint: lintOptionsFrom(ctx.config) },
  );
  await applyProviderFact(ctx, template, { event: remote.status, reason: remote.rejectedReason ?? null, detail: { imported: true }, at, source: 'poll', providerTemplateId: remote.id, category: remote.category });
  if (remote.qualityScore) await applyQualityFact(ctx, { ...template, quality: null }, { newScore: remote.qualityScore, at: ctx.clock.now() });
}

/**
 * Brings one workspace's view of one WABA in step with the provider: statuses that differ are applied
 * as facts (with alerts, as a webhook would), templates created outside Parley are imported, and a
 * template Parley had submitted that the provider no longer lists is marked DELETED. A webhook lost or
 * delayed is corrected here within one poll interval.
 */
export async function reconcileWaba(ctx: ParleyContext, workspaceId: string, wabaId: string): Promise<ReconcileReport> {
  const report: ReconcileReport = { workspaceId, wabaId, checked: 0, updated: 0, imported: 0 };
  const connection = await connectionForWaba(ctx, workspaceId, wabaId);
  const remote = await connection.list();
  const rows = await ctx.db.selectFrom('templates').selectAll().where('workspace_id', '=', workspaceId).where('waba_id', '=', wabaId).execute();
  const local = new Map(rows.map((r) => [`${r.name}|${r.language}`, toTemplate(r)]));
  const seen = new Set<string>();
  for (const r of remote) {
    report.checked++;
    const language = normalizeLanguage(r.language) ?? r.language;
    const key = `${r.name}|${language}`;
    seen.add(key);
    const template = local.get(key);
    if (!template) {
      await importTemplate(ctx, workspaceId, wabaId, r, language);
      report.imported++;
      continue;
    }
    const status = statusAfter(r.status);
    const waitingForVerdict = template.submittedVersionId !== null && status !== 'PENDING';
    if (status !== template.providerStatus || waitingForVerdict || template.providerTemplateId !== r.id) {
      const transition = await applyProviderFact(ctx, template, { event: r.status, reason: r.rejectedReason ?? null, detail: { polled: true }, at: observedAt(ctx.clock.now(), template.providerStatusAt), source: 'poll', providerTemplateId: r.id, category: r.category });
      if (transition.applies) report.updated++;
    }
    if (r.qualityScore && r.qualityScore !== template.quality) await applyQualityFact(ctx, template, { newScore: r.qualityScore, at: ctx.clock.now() });
  }
  for (const [key, template] of local) {
    if (seen.has(key)) continue;
    if (!template.providerTemplateId && template.submittedVersionId) {
      if (await releaseLostSubmission(ctx, template.id, template.submittedVersionId)) report.updated++;
      continue;
    }
    if (!template.providerTemplateId || template.providerStatus === 'DELETED') continue;
    const transition = await applyProviderFact(ctx, template, { event: 'DELETED', detail: { polled: true, missing: true }, at: observedAt(ctx.clock.now(), template.providerStatusAt), source: 'poll' });
    if (transition.applies) report.updated++;
  }
  forgetFacts(ctx);
  return report;
}

/** A submission older than this that the provider never listed was lost (Parley stopped before the call). */
export const LOST_SUBMISSION_AFTER = 10 * MINUTE;

/**
 * Submission marks the template before calling the provider; if the process stopped in between, the
 * provider never saw it. Once that is clearly the case, the version goes back to approved so it can be
 * submitted again.
 */
async function releaseLostSubmission(ctx: ParleyContext, templateId: string, versionId: string): Promise<boolean> {
  const cutoff = ctx.clock.now() - LOST_SUBMISSION_AFTER;
  return ctx.db.transaction().execute(async (trx) => {
    const version = await trx.selectFrom('template_versions').select(['submitted_at']).where('id', '=', versionId).executeTakeFirst();
    if (!version || version.submitted_at === null || Number(version.submitted_at) > cutoff) return false;
    const released = await trx.updateTable('templates').set({ submitted_version_id: null, updated_at: ctx.clock.now() }).where('id', '=', templateId).where('submitted_version_id', '=', versionId).where('provider_template_id', 'is', null).executeTakeFirst();
    if (Number(released.numUpdatedRows) !== 1) return false;
    await trx.updateTable('template_versions').set({ state: 'approved', submitted_at: null, submitted_by_key_id: null }).where('id', '=', versionId).where('state', '=', 'submitted').execute();
    ctx.logger.warn({ templateId, versionId }, 'a template submission never reached the provider; the version is approved again');
    return true;
  });
}

/** Reconciles every workspace × WABA with a Cloud API sender; one WABA's failure is its own result. */
export async function reconcileAll(ctx: ParleyContext, filter: { workspaceId?: string; wabaId?: string } = {}): Promise<ReconcileReport[]> {
  const targets = (await wabasToReconcile(ctx)).filter((t) => (!filter.workspaceId || t.workspaceId === filter.workspaceId) && (!filter.wabaId || t.wabaId === filter.wabaId));
  const reports: ReconcileReport[] = [];
  for (const { workspaceId, wabaId } of targets) {
    try {
      reports.push(await reconcileWaba(ctx, workspaceId, wabaId));
    } catch (error) {
      const code = isParleyError(error) ? error.code : 'INTERNAL';
      ctx.logger.warn({ err: error, workspaceId, wabaId }, 'template reconciliation failed');
      reports.push({ workspaceId, wabaId, checked: 0, updated: 0, imported: 0, error: { code, message: (error as Error).message } });
    }
  }
  return reports;
}

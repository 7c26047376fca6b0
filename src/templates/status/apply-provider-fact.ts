import type { Db } from '../../db/database.js';
import type { ParleyContext } from '../../runtime/context.js';
import { newId } from '../../shared/ids.js';
import { emitTemplateAlert } from '../alerts/emit-alert.js';
import type { Template } from '../store/template-records.js';
import { readStatusDetail } from './status-detail.js';
import { transitionFor, type ProviderFact, type StatusTransition } from './provider-status.js';
import { forgetFacts } from '../../runtime/fact-caches.js';

function rejectionText(fact: ProviderFact): string | null {
  const info = readStatusDetail(fact.detail).rejectionInfo;
  const parts = [fact.reason && fact.reason !== 'NONE' ? fact.reason : null, typeof info?.reason === 'string' ? info.reason : null, typeof info?.recommendation === 'string' ? `Recommendation: ${info.recommendation}` : null];
  const text = parts.filter(Boolean).join(' — ');
  return text || null;
}

/**
 * Records a provider status fact for a template and applies it: the status, the submitted version going
 * live (the previous live one superseded) or rejected with its reason, and an alert when a template
 * people rely on stops (paused, disabled, rejected) or comes back. Idempotent: a replayed fact finds
 * its history row and a status that already reflects it.
 */
export async function applyProviderFact(ctx: ParleyContext, template: Template, fact: ProviderFact): Promise<StatusTransition> {
  const now = ctx.clock.now();
  const transition = transitionFor(template, fact);
  await ctx.db
    .insertInto('template_status_events')
    .values({
      id: newId('tse', now),
      template_id: template.id,
      workspace_id: template.workspaceId,
      status: transition.status,
      reason: fact.reason ?? null,
      detail: JSON.stringify(fact.detail),
      source: fact.source,
      at: fact.at,
      dedupe_key: `${fact.source}:${transition.status}:${fact.at}`,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['template_id', 'dedupe_key']).doNothing())
    .execute();
  if (!transition.applies) return transition;

  const rejected = transition.status === 'REJECTED';
  const rejectionInfo = readStatusDetail(fact.detail).rejectionInfo;
  const applied = await ctx.db.transaction().execute(async (trx) => {
    const update = await trx
      .updateTable('templates')
      .set({
        provider_status: transition.status,
        provider_status_at: fact.at,
        provider_status_detail: JSON.stringify(fact.detail),
        ...(fact.providerTemplateId ? { provider_template_id: fact.providerTemplateId } : {}),
        ...(fact.category ? { category: fact.category } : {}),
        ...(rejected ? { rejection_reason: fact.reason ?? null, rejection_info: rejectionInfo ? JSON.stringify(rejectionInfo) : null } : {}),
        ...(transition.submittedOutcome === 'live' ? { live_version_id: template.submittedVersionId, submitted_version_id: null } : {}),
        ...(transition.submittedOutcome === 'rejected' ? { submitted_version_id: null } : {}),
        updated_at: now,
      })
      .where('id', '=', template.id)
      // A newer fact applied concurrently wins; this one then only stays in the history.
      .where((eb) => eb.or([eb('provider_status_at', 'is', null), eb('provider_status_at', '<=', fact.at)]))
      .executeTakeFirst();
    if (Number(update.numUpdatedRows) !== 1) return false;
    await publishTemplateChanged(ctx, trx, template.id, now);
    if (transition.submittedOutcome === 'live' && template.submittedVersionId) {
      if (template.liveVersionId) await trx.updateTable('template_versions').set({ state: 'superseded' }).where('id', '=', template.liveVersionId).execute();
      await trx.updateTable('template_versions').set({ state: 'live', provider_reason: null }).where('id', '=', template.submittedVersionId).execute();
    }
    if (transition.submittedOutcome === 'rejected' && template.submittedVersionId) {
      await trx.updateTable('template_versions').set({ state: 'rejected', provider_reason: rejectionText(fact) }).where('id', '=', template.submittedVersionId).execute();
    }
    if (transition.alert) {
      const backup = (await trx.selectFrom('templates').select('backup').where('id', '=', template.id).executeTakeFirst())?.backup ?? null;
      await emitTemplateAlert(
        ctx,
        {
          workspaceId: template.workspaceId,
          type: transition.alert,
          templateId: template.id,
          dedupeKey: `${template.id}:${transition.status}:${fact.at}`,
          data: {
            templateId: template.id,
            wabaId: template.wabaId,
            name: template.name,
            language: template.language,
            status: transition.status,
            previousStatus: template.providerStatus,
            reason: fact.reason ?? null,
            detail: fact.detail,
            // Where sends go meanwhile, so whoever reads the alert knows the impact.
            backup: backup === null ? null : JSON.parse(backup),
            source: fact.source,
          },
        },
        trx,
      );
    }
    return true;
  });

  // Accepts reuse template facts for a second: a status change applies to the next accept at once.
  if (applied) forgetFacts(ctx);
  return applied ? transition : { ...transition, applies: false };
}

/**
 * `template.changed` with the template's status and quality as now stored, in the transaction that stored
 * them: the live stream carries it to the console's templates pages (conversations/stream-notices.ts).
 */
async function publishTemplateChanged(ctx: ParleyContext, trx: Db, templateId: string, now: number): Promise<void> {
  const row = await trx.selectFrom('templates').select(['workspace_id', 'provider_status', 'quality']).where('id', '=', templateId).executeTakeFirst();
  if (!row) return;
  await ctx.domainEvents.publish(trx, [{ type: 'template.changed', workspaceId: row.workspace_id, templateId, providerStatus: row.provider_status, quality: row.quality, at: now }], now);
}

/** A quality score change; a drop to RED raises an alert (a pause usually follows), in the same transaction. */
export async function applyQualityFact(ctx: ParleyContext, template: Template, fact: { newScore: string; previousScore?: string; at: number }): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('templates').select(['quality', 'backup']).where('id', '=', template.id).executeTakeFirst();
    if (!current) return;
    await trx.updateTable('templates').set({ quality: fact.newScore, updated_at: ctx.clock.now() }).where('id', '=', template.id).execute();
    await publishTemplateChanged(ctx, trx, template.id, ctx.clock.now());
    if (fact.newScore !== 'RED' || current.quality === 'RED') return;
    await emitTemplateAlert(
      ctx,
      {
        workspaceId: template.workspaceId,
        type: 'template.quality_low',
        templateId: template.id,
        dedupeKey: `${template.id}:quality:RED:${fact.at}`,
        data: {
          templateId: template.id, wabaId: template.wabaId, name: template.name, language: template.language,
          previousScore: fact.previousScore ?? current.quality, newScore: fact.newScore, backup: current.backup === null ? null : JSON.parse(current.backup),
        },
      },
      trx,
    );
  });
}

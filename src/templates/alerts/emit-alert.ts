import type { Db } from '../../db/database.js';
import type { ParleyContext } from '../../runtime/context.js';
import { newId } from '../../shared/ids.js';

export interface TemplateAlert {
  workspaceId: string;
  /** `template.paused`, `template.disabled`, `template.rejected`, `template.reinstated`, `template.quality_low`, `variant.halted`, `rollout.completed`. */
  type: string;
  templateId?: string | null;
  intentId?: string | null;
  data: Record<string, unknown>;
  /** Identifies the fact behind the alert, so a replayed event raises it once. */
  dedupeKey: string;
}

/**
 * Raises an alert for people: stored in `template_alerts` (listed by `GET /v1/templates/alerts`), once per
 * dedupe key, and published as the `template.alert` domain event (the workspace's event webhooks subscribe to it).
 * Returns false when the alert had already been raised. Pass the transaction that makes the change the
 * alert is about as `db`, so the change and its alert commit together (a crash cannot lose the alert).
 */
export async function emitTemplateAlert(ctx: ParleyContext, alert: TemplateAlert, db: Db = ctx.db): Promise<boolean> {
  const now = ctx.clock.now();
  const result = await db
    .insertInto('template_alerts')
    .values({
      id: newId('alrt', now),
      workspace_id: alert.workspaceId,
      type: alert.type,
      template_id: alert.templateId ?? null,
      intent_id: alert.intentId ?? null,
      data: JSON.stringify(alert.data),
      dedupe_key: alert.dedupeKey,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'dedupe_key']).doNothing())
    .executeTakeFirst();
  const raised = Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  if (raised) {
    ctx.logger.warn({ alert: alert.type, workspaceId: alert.workspaceId, templateId: alert.templateId, intentId: alert.intentId }, 'template alert');
    // A domain event, published in the same transaction: business systems subscribed to `template.alert` hear it through the signed event webhooks.
    await ctx.domainEvents.publish(db, [{ type: 'template.alert', workspaceId: alert.workspaceId, alert: alert.type, templateId: alert.templateId ?? null, intentId: alert.intentId ?? null, data: alert.data, at: now }], now);
  }
  return raised;
}

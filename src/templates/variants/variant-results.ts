import type { ParleyContext } from '../../runtime/context.js';
import { intentMessageCountsByVariant, intentMessagesSentSince } from '../../messages/intent-message-queries.js';
import { DAY } from '../../shared/time.js';
import { ZERO_COUNTS, type VariantCounts } from './guardrails.js';

/** An inbound message from the contact within this long after a variant's message counts as a reply to it. */
export const REPLY_WINDOW = 1 * DAY;

/**
 * Outcomes per variant of an intent, from its messages (`messages/intent-message-queries.ts`) and
 * `variant_optouts`. `since` bounds it to a rollout's life.
 */
export async function variantCounts(ctx: ParleyContext, intent: { id: string; workspaceId: string; name: string }, since = 0): Promise<Map<string, VariantCounts>> {
  const rows = await intentMessageCountsByVariant(ctx.db, ctx.store.dialect, { workspaceId: intent.workspaceId, intent: intent.name, since, replyWindow: REPLY_WINDOW });
  const out = new Map<string, VariantCounts>();
  for (const r of rows) {
    if (!r.variant) continue;
    out.set(r.variant, { sent: Number(r.sent ?? 0), delivered: Number(r.delivered ?? 0), read: Number(r.read ?? 0), replied: Number(r.replied ?? 0), failed: Number(r.failed ?? 0), optedOut: 0 });
  }
  const optouts = await ctx.db
    .selectFrom('variant_optouts')
    .select((eb) => ['variant_id', eb.fn.countAll<number>().as('n')])
    .where('intent_id', '=', intent.id)
    .where('at', '>=', since)
    .groupBy('variant_id')
    .execute();
  for (const o of optouts) out.set(o.variant_id, { ...(out.get(o.variant_id) ?? ZERO_COUNTS), optedOut: Number(o.n) });
  return out;
}

/** Messages of one variant handed to the provider since a time (a rollout stage's volume). */
export async function variantSentSince(ctx: ParleyContext, intent: { workspaceId: string; name: string }, variantId: string, since: number): Promise<number> {
  return intentMessagesSentSince(ctx.db, ctx.store.dialect, { workspaceId: intent.workspaceId, intent: intent.name, variantId, since });
}

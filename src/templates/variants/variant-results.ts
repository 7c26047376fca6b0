import type { ParleyContext } from '../../runtime/context.js';
import { jsonTextField } from '../../db/json-field.js';
import { DAY } from '../../shared/time.js';
import { ZERO_COUNTS, type VariantCounts } from './guardrails.js';

/** Statuses of an outbound message the provider had: it counts as sent. */
const SENT = ['accepted', 'sent', 'delivered', 'read', 'failed'] as const;
const DELIVERED = ['delivered', 'read'] as const;
/** An inbound message from the contact within this long after a variant's message counts as a reply to it. */
export const REPLY_WINDOW = 1 * DAY;

/**
 * Outcomes per variant of an intent, from the `messages` table (outbound rows carry `intent` and the
 * variant id in `metadata.variant`) and `variant_optouts`. `since` bounds it to a rollout's life.
 */
export async function variantCounts(ctx: ParleyContext, intent: { id: string; workspaceId: string; name: string }, since = 0): Promise<Map<string, VariantCounts>> {
  const variant = jsonTextField(ctx.store.dialect, 'm.metadata', 'variant');
  const rows = await ctx.db
    .selectFrom('messages as m')
    .select((eb) => [
      variant.as('variant'),
      eb.fn.sum<number>(eb.case().when('m.status', 'in', [...SENT]).then(1).else(0).end()).as('sent'),
      eb.fn.sum<number>(eb.case().when('m.status', 'in', [...DELIVERED]).then(1).else(0).end()).as('delivered'),
      eb.fn.sum<number>(eb.case().when('m.status', '=', 'read').then(1).else(0).end()).as('read'),
      eb.fn.sum<number>(eb.case().when('m.status', '=', 'failed').then(1).else(0).end()).as('failed'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(
              eb.exists(
                eb
                  .selectFrom('messages as i')
                  .select('i.id')
                  .where('i.direction', '=', 'inbound')
                  .whereRef('i.contact_id', '=', 'm.contact_id')
                  .whereRef('i.created_at', '>', 'm.created_at')
                  .where((w) => w('i.created_at', '<=', w(w.ref('m.created_at'), '+', REPLY_WINDOW))),
              ),
            )
            .then(1)
            .else(0)
            .end(),
        )
        .as('replied'),
    ])
    .where('m.workspace_id', '=', intent.workspaceId)
    .where('m.direction', '=', 'outbound')
    .where('m.intent', '=', intent.name)
    .where('m.created_at', '>=', since)
    .groupBy(variant)
    .execute();
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
  const row = await ctx.db
    .selectFrom('messages as m')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('m.workspace_id', '=', intent.workspaceId)
    .where('m.direction', '=', 'outbound')
    .where('m.intent', '=', intent.name)
    .where('m.created_at', '>=', since)
    .where('m.status', 'in', [...SENT])
    .where(jsonTextField(ctx.store.dialect, 'm.metadata', 'variant'), '=', variantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

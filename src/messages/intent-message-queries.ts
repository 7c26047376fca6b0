import type { Db } from '../db/database.js';
import type { DialectName } from '../db/dialect.js';
import { jsonTextField } from '../db/json-field.js';

/**
 * Reads of messages sent by intent, for the intents' A/B variants: outbound rows carry `intent` and
 * the variant's id in `metadata.variant`.
 */

/** Statuses of an outbound message the provider had: it counts as sent. */
const SENT = ['accepted', 'sent', 'delivered', 'read', 'failed'] as const;
const DELIVERED = ['delivered', 'read'] as const;

export interface IntentMessageCounts {
  variant: string | null;
  sent: number | null;
  delivered: number | null;
  read: number | null;
  replied: number | null;
  failed: number | null;
}

/**
 * Per variant, the intent's outbound messages created since `since`: how many the provider had, were
 * delivered, read, failed, and were answered by an inbound message of the contact within `replyWindow`.
 */
export async function intentMessageCountsByVariant(
  db: Db,
  dialect: DialectName,
  o: { workspaceId: string; intent: string; since: number; replyWindow: number },
): Promise<IntentMessageCounts[]> {
  const variant = jsonTextField(dialect, 'm.metadata', 'variant');
  return db
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
                  .where((w) => w('i.created_at', '<=', w(w.ref('m.created_at'), '+', o.replyWindow))),
              ),
            )
            .then(1)
            .else(0)
            .end(),
        )
        .as('replied'),
    ])
    .where('m.workspace_id', '=', o.workspaceId)
    .where('m.direction', '=', 'outbound')
    .where('m.intent', '=', o.intent)
    .where('m.created_at', '>=', o.since)
    .groupBy(variant)
    .execute();
}

/** How many of the intent's messages of one variant, created since `since`, the provider had. */
export async function intentMessagesSentSince(db: Db, dialect: DialectName, o: { workspaceId: string; intent: string; variantId: string; since: number }): Promise<number> {
  const row = await db
    .selectFrom('messages as m')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('m.workspace_id', '=', o.workspaceId)
    .where('m.direction', '=', 'outbound')
    .where('m.intent', '=', o.intent)
    .where('m.created_at', '>=', o.since)
    .where('m.status', 'in', [...SENT])
    .where(jsonTextField(dialect, 'm.metadata', 'variant'), '=', o.variantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A contact's latest outbound intent messages created between `from` and `to`, newest first. */
export async function recentIntentMessages(db: Db, o: { workspaceId: string; contactId: string; from: number; to: number; limit: number }) {
  return db
    .selectFrom('messages')
    .select(['id', 'intent', 'metadata', 'created_at'])
    .where('workspace_id', '=', o.workspaceId)
    .where('contact_id', '=', o.contactId)
    .where('direction', '=', 'outbound')
    .where('intent', 'is not', null)
    .where('created_at', '<=', o.to)
    .where('created_at', '>=', o.from)
    .orderBy('created_at', 'desc')
    .limit(o.limit)
    .execute();
}

import { sql } from 'kysely';
import type { Store } from '../../db/database.js';
import { DAY } from '../../shared/time.js';
import { isWindowOpen } from '../../conversations/service-window.js';
import { readWindows } from '../../conversations/window-queries.js';

/**
 * Meta's messaging limit: a business portfolio may reach at most `limit` unique users in a rolling
 * 24 h with business-initiated messages (templates outside the customer-service window). Replies in an
 * open window do not count. Parley reserves a slot per new recipient before sending; a message that
 * would exceed the limit is held (not failed) until the oldest reservation leaves the window.
 */
export interface TierCheck {
  id: string;
  contactId: string;
  type: string;
}

export async function reserveTierBudget(store: Store, senderId: string, portfolioId: string, limit: number, messages: TierCheck[], now: number): Promise<Map<string, number>> {
  const holds = new Map<string, number>();
  const templates = messages.filter((m) => m.type === 'template');
  if (templates.length === 0) return holds;
  const contactIds = [...new Set(templates.map((m) => m.contactId))];
  const windows = await readWindows(store.db, contactIds, senderId);
  const open = new Set(windows.filter((w) => isWindowOpen(w.lastInboundAt, now)).map((w) => w.contactId));
  const counted = templates.filter((m) => !open.has(m.contactId));
  if (counted.length === 0) return holds;

  await store.db.transaction().execute(async (tx) => {
    // Numbers of one portfolio may be leased by different workers: serialise reservations per portfolio.
    if (store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${portfolioId}))`.execute(tx);
    const since = now - DAY;
    const existing = await tx.selectFrom('tier_usage').select(['contact_id', 'first_sent_at']).where('portfolio_id', '=', portfolioId).where('contact_id', 'in', [...new Set(counted.map((m) => m.contactId))]).execute();
    const reached = new Set(existing.filter((e) => e.first_sent_at > since).map((e) => e.contact_id));
    const usedRow = await tx.selectFrom('tier_usage').select((eb) => eb.fn.countAll<number>().as('n')).where('portfolio_id', '=', portfolioId).where('first_sent_at', '>', since).executeTakeFirstOrThrow();
    let used = Number(usedRow.n);
    let oldest: number | undefined;
    for (const m of counted) {
      if (reached.has(m.contactId)) continue;
      if (used < limit) {
        await tx
          .insertInto('tier_usage')
          .values({ portfolio_id: portfolioId, contact_id: m.contactId, first_sent_at: now })
          .onConflict((oc) => oc.columns(['portfolio_id', 'contact_id']).doUpdateSet({ first_sent_at: now }))
          .execute();
        reached.add(m.contactId);
        used++;
        continue;
      }
      if (oldest === undefined) {
        const row = await tx.selectFrom('tier_usage').select('first_sent_at').where('portfolio_id', '=', portfolioId).where('first_sent_at', '>', since).orderBy('first_sent_at').limit(1).executeTakeFirst();
        oldest = row?.first_sent_at ?? now;
      }
      holds.set(m.id, oldest + DAY);
    }
  });
  return holds;
}

export async function pruneTierUsage(store: Store, now: number): Promise<void> {
  await store.db.deleteFrom('tier_usage').where('first_sent_at', '<=', now - DAY).execute();
}

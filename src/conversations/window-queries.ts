import type { Kysely, Transaction } from 'kysely';
import { lastInboundForClosedAt } from './service-window.js';
import type { ConversationsTables } from './tables.js';

/**
 * The service-window table's reads and writes. Every function takes the caller's database handle or
 * transaction (`ctx.db`, `trx`), so a write joins the caller's transaction.
 *
 * The handle is typed as any Kysely database that has this module's tables, not as `db/`'s `Db`: the
 * database type is assembled in `db/` from every module's `tables.ts`, so naming it here would make
 * this module and `db/` depend on each other. Kysely's type is invariant in its tables (its callbacks
 * take the full database), so `tablesOf` views the handle through this module's tables only; the
 * constraint on `DB` is what makes that view sound. `Transaction` is named beside `Kysely` so the
 * compiler infers `DB` from a transaction too.
 */
type WindowsDb<DB extends ConversationsTables> = Kysely<DB> | Transaction<DB>;

const tablesOf = <DB extends ConversationsTables>(db: WindowsDb<DB>): Kysely<ConversationsTables> => db as unknown as Kysely<ConversationsTables>;

/** One sender × contact window: the time of the customer's last message to that sender. */
export interface ServiceWindow {
  senderId: string;
  contactId: string;
  lastInboundAt: number;
}

/**
 * Opens (or extends) the windows of customer messages just stored: per sender × contact the latest
 * time wins, here and against the stored row, so replays and out-of-order batches never move a window
 * back. Rows are written in (sender, contact) order, so concurrent batches lock them in the same order.
 */
export async function recordInbound<DB extends ConversationsTables>(db: WindowsDb<DB>, inbound: readonly ServiceWindow[]): Promise<void> {
  const latest = new Map<string, ServiceWindow>();
  for (const w of inbound) {
    const key = `${w.senderId}:${w.contactId}`;
    const seen = latest.get(key);
    if (!seen || seen.lastInboundAt < w.lastInboundAt) latest.set(key, w);
  }
  if (latest.size === 0) return;
  const rows = [...latest.values()]
    .map((w) => ({ sender_id: w.senderId, contact_id: w.contactId, last_inbound_at: w.lastInboundAt }))
    .sort((a, b) => (a.sender_id + a.contact_id < b.sender_id + b.contact_id ? -1 : 1));
  await tablesOf(db)
    .insertInto('service_windows')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['sender_id', 'contact_id']).doUpdateSet((eb) => ({
        last_inbound_at: eb
          .case()
          .when(eb.ref('excluded.last_inbound_at'), '>', eb.ref('service_windows.last_inbound_at'))
          .then(eb.ref('excluded.last_inbound_at'))
          .else(eb.ref('service_windows.last_inbound_at'))
          .end(),
      })),
    )
    .execute();
}

/**
 * The provider says the window was closed at `at`: the customer's last message is moved back to the
 * latest time consistent with that (`lastInboundForClosedAt`), so every reader of the window treats it
 * as closed. A customer message received after `at` is newer than the provider's verdict and is left
 * alone. Returns whether a row moved.
 */
export async function closeWindow<DB extends ConversationsTables>(db: WindowsDb<DB>, senderId: string, contactId: string, at: number): Promise<boolean> {
  const closedAt = lastInboundForClosedAt(at);
  const result = await tablesOf(db)
    .updateTable('service_windows')
    .set({ last_inbound_at: closedAt })
    .where('sender_id', '=', senderId)
    .where('contact_id', '=', contactId)
    .where('last_inbound_at', '>', closedAt)
    .where('last_inbound_at', '<', at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The customer's last message to this sender, or `null` when they never wrote to it. */
export async function readWindow<DB extends ConversationsTables>(db: WindowsDb<DB>, senderId: string, contactId: string): Promise<number | null> {
  const row = await tablesOf(db).selectFrom('service_windows').select('last_inbound_at').where('sender_id', '=', senderId).where('contact_id', '=', contactId).executeTakeFirst();
  return row?.last_inbound_at ?? null;
}

/** The windows of these contacts, with every sender or with one (`senderId`). */
export async function readWindows<DB extends ConversationsTables>(db: WindowsDb<DB>, contactIds: readonly string[], senderId?: string): Promise<ServiceWindow[]> {
  if (contactIds.length === 0) return [];
  let query = tablesOf(db).selectFrom('service_windows').select(['sender_id', 'contact_id', 'last_inbound_at']).where('contact_id', 'in', [...contactIds]);
  if (senderId !== undefined) query = query.where('sender_id', '=', senderId);
  const rows = await query.execute();
  return rows.map((r) => ({ senderId: r.sender_id, contactId: r.contact_id, lastInboundAt: r.last_inbound_at }));
}

/**
 * A contact merge: the merged contact's windows move to the survivor (per sender the later message
 * wins) and the merged contact keeps none. Run inside the merge's transaction. Returns how many windows
 * the merged contact had.
 */
export async function moveWindowsOnMerge<DB extends ConversationsTables>(trx: WindowsDb<DB>, survivorId: string, mergedId: string): Promise<number> {
  const db = tablesOf(trx);
  const windows = await db.selectFrom('service_windows').selectAll().where('contact_id', 'in', [survivorId, mergedId]).execute();
  const survivorWindows = new Map(windows.filter((w) => w.contact_id === survivorId).map((w) => [w.sender_id, w.last_inbound_at]));
  const mergedWindows = windows.filter((w) => w.contact_id === mergedId);
  for (const w of mergedWindows) {
    const mine = survivorWindows.get(w.sender_id);
    if (mine === undefined) await db.insertInto('service_windows').values({ sender_id: w.sender_id, contact_id: survivorId, last_inbound_at: w.last_inbound_at }).execute();
    else if (w.last_inbound_at > mine) await db.updateTable('service_windows').set({ last_inbound_at: w.last_inbound_at }).where('sender_id', '=', w.sender_id).where('contact_id', '=', survivorId).execute();
  }
  await db.deleteFrom('service_windows').where('contact_id', '=', mergedId).execute();
  return mergedWindows.length;
}

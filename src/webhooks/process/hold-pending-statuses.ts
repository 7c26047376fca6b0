import type { Db } from '../../db/database.js';
import { DAY } from '../../shared/time.js';
import type { StatusItem } from '../../channels/webhook-items.js';
import type { ApplyResults, WorkItem } from './work.js';

/**
 * How long a status waits for its message. Statuses for messages Parley never sent (another system
 * sharing the number) would otherwise pile up.
 */
export const PENDING_STATUS_TTL = 1 * DAY;

/**
 * Holds statuses that match no message yet (dedup on the provider id's keyed hash + status), to apply
 * once the sender stores the provider id. The item is stored sealed (it names the provider id, which
 * carries the customer's number); the caller sealed it outside the transaction.
 */
export async function holdPendingStatuses(db: Db, works: Array<{ work: WorkItem; item: StatusItem; senderId: string; hash: string; sealedItem: string }>, results: ApplyResults, now: number): Promise<void> {
  if (!works.length) return;
  const rows = works.map(({ item, senderId, hash, sealedItem }) => ({
    provider: item.provider,
    provider_id_hash: hash,
    status: item.providerStatus,
    sender_id: senderId,
    parley_message_id: item.parleyMessageId ?? null,
    item: sealedItem,
    received_at: now,
    expires_at: now + PENDING_STATUS_TTL,
  }));
  rows.sort((a, b) => (a.provider_id_hash < b.provider_id_hash ? -1 : a.provider_id_hash > b.provider_id_hash ? 1 : 0));
  for (let i = 0; i < rows.length; i += 300) {
    await db
      .insertInto('pending_statuses')
      .values(rows.slice(i, i + 300))
      .onConflict((oc) => oc.columns(['provider_id_hash', 'status', 'provider']).doNothing())
      .execute();
  }
  for (const { work, item } of works) {
    results.set(work, 'pending');
    results.statusCounts.push({ provider: item.provider, result: 'pending' });
  }
}

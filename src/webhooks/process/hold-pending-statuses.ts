import type { Db } from '../../db/database.js';
import { DAY } from '../../shared/time.js';
import type { StatusItem } from '../items.js';
import type { ApplyResults, WorkItem } from './work.js';

/**
 * How long a status waits for its message. Statuses for messages Parley never sent (another system
 * sharing the number) would otherwise pile up.
 */
export const PENDING_STATUS_TTL = 1 * DAY;

/** Holds statuses that match no message yet (dedup on provider id + status), to apply once the sender stores the provider id. */
export async function holdPendingStatuses(db: Db, works: Array<{ work: WorkItem; item: StatusItem; senderId: string }>, results: ApplyResults, now: number): Promise<void> {
  if (!works.length) return;
  const rows = works.map(({ item, senderId }) => ({
    provider: item.provider,
    provider_message_id: item.providerMessageId,
    status: item.providerStatus,
    sender_id: senderId,
    parley_message_id: item.parleyMessageId ?? null,
    item: JSON.stringify(item),
    received_at: now,
    expires_at: now + PENDING_STATUS_TTL,
  }));
  rows.sort((a, b) => (a.provider_message_id < b.provider_message_id ? -1 : a.provider_message_id > b.provider_message_id ? 1 : 0));
  for (let i = 0; i < rows.length; i += 300) {
    await db
      .insertInto('pending_statuses')
      .values(rows.slice(i, i + 300))
      .onConflict((oc) => oc.columns(['provider_message_id', 'status', 'provider']).doNothing())
      .execute();
  }
  for (const { work, item } of works) {
    results.set(work, 'pending');
    results.statusCounts.push({ provider: item.provider, result: 'pending' });
  }
}

import type { Db } from '../../db/database.js';
import { storeAltIds } from '../../messages/provider-id-queries.js';
import type { ApplyResults, WorkItem } from './work.js';

/**
 * Applies `provider_id` items (UltraMsg `message_create`) inside the caller's transaction: the second id
 * of the message each matched is stored (`applied`); one already known is a `duplicate`; a message
 * created on the phone, or one whose ids name no send, is `ignored`.
 */
export async function applyProviderIds(db: Db, items: WorkItem[], results: ApplyResults, now: number): Promise<void> {
  if (!items.length) return;
  const learning = items.filter((w) => w.status?.message && w.status.setAltId);
  const stored = await storeAltIds(db, learning.map((w) => ({ messageId: w.status!.message!.id, ...w.status!.setAltId! })), now);
  const claimed = new Set<string>();
  for (const work of items) {
    const message = work.status?.message;
    if (!message) {
      results.set(work, 'ignored', 'no send of this account matches the created message');
      continue;
    }
    // One item per message stored the id; a redelivery in the same batch is a duplicate.
    const first = stored.has(message.id) && !claimed.has(message.id) && work.status?.setAltId !== undefined;
    if (first) claimed.add(message.id);
    results.set(work, first ? 'applied' : 'duplicate');
  }
}

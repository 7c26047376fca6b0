import { STATUS_RANK } from '../../messages/status.js';
import type { StatusItem } from '../../channels/webhook-items.js';

/**
 * Given the statuses newly received for one message (not seen before), the one to apply: the
 * highest rank. Applying it through `applyStatus` then moves the message only forward, so order,
 * duplicates and lower statuses arriving later cannot move it back. Pure.
 */
export function statusToApply<T extends Pick<StatusItem, 'status' | 'at'>>(fresh: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const s of fresh) {
    if (!best || STATUS_RANK[s.status] > STATUS_RANK[best.status] || (STATUS_RANK[s.status] === STATUS_RANK[best.status] && s.at > best.at)) best = s;
  }
  return best;
}

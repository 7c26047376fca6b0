/**
 * The messaging-limit tier: unique customers a number may reach with business-initiated messages (templates
 * sent outside the service window) in a rolling 24 h. A customer already reached in the last 24 h does not
 * count again; replies inside an open window never count. Meta documents no dedicated error code; the
 * emulator fails such sends by webhook with the number's `tierErrorCode`.
 *
 * State: customer → time first counted, in insertion (= time) order, so pruning reads from the front.
 */
export type TierState = Map<string, number>;

export const TIER_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Forgets customers counted more than 24 h ago. */
export function pruneTier(state: TierState, now: number, windowMs = TIER_WINDOW_MS): void {
  for (const [waId, at] of state) {
    if (now - at < windowMs) break;
    state.delete(waId);
  }
}

/** Pure: whether a business-initiated message to `waId` fits in the tier (call after `pruneTier`). */
export function tierAllows(state: TierState, waId: string, limit: number | null): boolean {
  return limit === null || state.has(waId) || state.size < limit;
}

export function countTier(state: TierState, waId: string, now: number): void {
  if (!state.has(waId)) state.set(waId, now);
}

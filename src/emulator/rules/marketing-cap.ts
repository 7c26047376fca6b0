/**
 * Meta's per-user marketing cap (131049): a customer receives only so many marketing templates that would
 * open a new marketing conversation (i.e. sent outside an open service window), across all businesses.
 * The emulator keeps one list of delivery times per customer, shared by all its numbers.
 * Meta reports it by a `failed` status webhook, not by an HTTP error.
 */
export function marketingCapAllows(deliveries: readonly number[] | undefined, cap: number | null, windowMs: number, now: number): boolean {
  if (cap === null || !deliveries) return true;
  let recent = 0;
  for (const at of deliveries) if (now - at < windowMs) recent++;
  return recent < cap;
}

/** Records a delivery and drops the ones outside the window (keeps the list short). */
export function recordMarketing(deliveries: number[] | undefined, windowMs: number, now: number): number[] {
  const kept = (deliveries ?? []).filter((at) => now - at < windowMs);
  kept.push(now);
  return kept;
}

/**
 * UltraMsg's send delay as a function of the queue. UltraMsg documents two settings and a threshold:
 * `sendDelay` (default 1 s) is the gap between messages "when the queue has fewer than 10 messages", and
 * `sendDelayMax` (default 15 s) "applies automatically once the queue has 10 or more". It does not document
 * how the delay gets from one to the other, so the curve here is the emulator's choice (decision 0008):
 *
 * - fewer than 10 queued: `sendDelay`;
 * - 10 or more: a linear ramp, one fraction (1/RAMP) of the way from `sendDelay` to `sendDelayMax` for
 *   each message from the 10th on, reaching `sendDelayMax` at 10 + RAMP − 1 = 19 queued and staying there.
 *
 * Nothing changes below the documented threshold, and any real bulk backlog (tens or hundreds queued)
 * runs at exactly the documented maximum, so throughput figures are the same as with a hard step; the ramp
 * only avoids pretending to know that the 10th message waits fifteen times longer than the 9th.
 * `queued` counts the messages waiting when one leaves, that one included.
 */
export const DELAY_THRESHOLD = 10;
export const DELAY_RAMP = 10;

export function sendDelayFor(queued: number, sendDelayMs: number, sendDelayMaxMs: number): number {
  const max = Math.max(sendDelayMs, sendDelayMaxMs);
  if (queued < DELAY_THRESHOLD) return sendDelayMs;
  const share = Math.min(1, (queued - DELAY_THRESHOLD + 1) / DELAY_RAMP);
  return Math.round(sendDelayMs + (max - sendDelayMs) * share);
}

/** UltraMsg marks a message `expired` when it has not left the queue within 24 hours. */
export const QUEUE_EXPIRY_MS = 24 * 60 * 60 * 1000;

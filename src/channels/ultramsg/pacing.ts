/**
 * How fast Parley may hand messages to an UltraMsg instance. An instance sends one message at a time and
 * waits `sendDelay` after each (default 1 s); once 10 or more are queued the wait grows to `sendDelayMax`
 * (default 15 s). Messages handed over faster than `1 / sendDelay` pile up in the instance, where the
 * delay then grows fifteenfold, Parley can no longer reorder, cancel or expire them, and any still queued
 * after 24 hours expire. So Parley paces an UltraMsg sender at no more than one message per `sendDelay`
 * (less the usual headroom), and the instance's queue stays near empty. Pure.
 *
 * Figures per instance (decision 0008): sendDelay 1 s → at most 1 msg/s (3,600 an hour, 86,400 a day);
 * the recommended 3–5 s → 0.2–0.33 msg/s; a backlog of 10 or more at the default 15 s maximum → 4 a
 * minute, 240 an hour, 5,760 a day, beyond which the rest expire.
 */
export const ULTRAMSG_DEFAULT_SEND_DELAY_S = 1;

/** Messages per second the instance can send with the given `sendDelay` (seconds); Infinity for no delay. */
export function ultramsgMaxRate(sendDelaySeconds: number | undefined): number {
  const delay = sendDelaySeconds ?? ULTRAMSG_DEFAULT_SEND_DELAY_S;
  return delay > 0 ? 1 / delay : Infinity;
}

/** The sender's pacing: its configured mps, capped by what the instance can send. */
export function ultramsgPacedRate(mps: number, sendDelaySeconds: number | undefined): number {
  return Math.min(mps, ultramsgMaxRate(sendDelaySeconds));
}

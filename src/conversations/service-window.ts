import { HOUR } from '../shared/time.js';

/**
 * Meta's customer-service window: free-form messages only within 24 h of the customer's last message.
 * Whether a sender is bound by it at all is its channel's `serviceWindow` capability (channels/capabilities.ts).
 */
export const SERVICE_WINDOW = 24 * HOUR;

/** Whether the window opened by the customer's last message (`null`: never wrote) is still open at `now`. */
export function isWindowOpen(lastInboundAt: number | null | undefined, now: number): boolean {
  return lastInboundAt !== null && lastInboundAt !== undefined && now - lastInboundAt < SERVICE_WINDOW;
}

/** When the window opened by the customer's message at `lastInboundAt` closes (the first instant it is closed). */
export function windowClosesAt(lastInboundAt: number): number {
  return lastInboundAt + SERVICE_WINDOW;
}

/**
 * The latest customer-message time consistent with the provider saying the window was closed at
 * `closedAt`: exactly one window length before it, so the window counts as closed from `closedAt` on.
 */
export function lastInboundForClosedAt(closedAt: number): number {
  return closedAt - SERVICE_WINDOW;
}

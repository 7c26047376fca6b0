/**
 * When an UltraMsg send without a delivery receipt is looked up in the instance's message list
 * (decision 0007). Pure.
 *
 * The first look comes `afterMs` after the message's last status change; after the n-th look the
 * next waits `afterMs × 2^n`; after `maxChecks` looks Parley stops. A send whose status has not moved
 * for longer than the horizon is not looked at any more (nor scanned).
 */
export interface ReceiptCheckPolicy {
  afterMs: number;
  maxChecks: number;
}

/** When the look after `checksDone` looks (1 or more) is due. */
export const nextCheckAt = (policy: ReceiptCheckPolicy, now: number, checksDone: number): number => now + policy.afterMs * 2 ** Math.min(checksDone, 20);

/** How far back sends are looked for: past every look the policy allows, with one more step of slack. */
export const checkHorizonMs = (policy: ReceiptCheckPolicy): number => policy.afterMs * 2 ** (Math.min(policy.maxChecks, 20) + 1);

/** Sends looked up per sender and pass: the list is one HTTP call per send, on an instance that sends one message at a time. */
export const CHECK_BATCH = 20;

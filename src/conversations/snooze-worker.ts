import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { dueSnoozes } from './conversation-store.js';
import { changeConversation } from './transitions.js';

const BATCH = 200;

/** How often snoozes are checked: a snooze ends within this much of its time. */
export const SNOOZE_CHECK_MS = 5_000;

/**
 * Wakes conversations whose snooze has ended: each returns to the state it was snoozed from, recorded
 * as `conversation.woke` by `system`. A conversation changed in between (woken by the customer,
 * resolved) is left as it is. Returns how many woke.
 */
export async function wakeDueSnoozes(ctx: ParleyContext): Promise<number> {
  let woke = 0;
  for (;;) {
    const due = await dueSnoozes(ctx.db, ctx.clock.now(), BATCH);
    const before = woke;
    for (const c of due) {
      try {
        await changeConversation(ctx, { workspaceId: c.workspaceId, conversationId: c.id, command: { type: 'wake' }, actor: 'system' });
        woke++;
      } catch (error) {
        if (!(error instanceof ParleyError)) throw error;
      }
    }
    if (due.length < BATCH || woke === before) return woke;
  }
}

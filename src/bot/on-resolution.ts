import { onlyWhen } from '../domain-events/bus.js';
import type { DomainEventHandler } from '../runtime/context.js';
import { resolution } from '../conversations/transitions.js';
import { stopRun } from './session-store.js';

/**
 * A conversation resolved by someone other than the bot (a person, a key, the system) while its run
 * was still going: the run stops, so it says nothing more and its measures do not count it running.
 * After the resolution's commit, at least once (stopping twice changes nothing).
 */
export const stopRunOnResolution: DomainEventHandler<'conversation.changed'> = onlyWhen(resolution, async (ctx, event) => {
  if (event.actor === 'bot') return;
  await stopRun(ctx.db, event.conversationId, event.cycle, ctx.clock.now());
});

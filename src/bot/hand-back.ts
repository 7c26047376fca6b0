import type { ParleyContext } from '../runtime/context.js';
import type { Principal } from '../access/principal.js';
import { holds } from '../access/principal.js';
import { ParleyError } from '../errors/parley-error.js';
import { lockConversation } from '../conversations/conversation-store.js';
import { principalActor } from '../conversations/conversation-view.js';
import { visibleConversation } from '../conversations/reply.js';
import { afterCommit, record, type Changed } from '../conversations/transitions.js';
import { transition } from '../conversations/state-machine.js';
import { flowForConversation, getVersion } from './flow-store.js';
import { botFacts } from './facts.js';
import { startRun } from './run-steps.js';
import { insertRun, lockRun, restartRun } from './session-store.js';
import { carryOut } from './carry-out.js';
import type { BotPorts } from './ports.js';

/**
 * A person gives the conversation back to the bot: the sender's published flow starts again from its
 * beginning in this cycle (what the bot collected before is kept in the hand-off note, not in the new
 * run). Its owner may hand it back; anyone else needs `conversations.assign`.
 */
export async function handBack(ctx: ParleyContext, ports: BotPorts, p: Principal, conversationId: string): Promise<Changed> {
  const c = await visibleConversation(ctx, p, conversationId);
  const mine = c.owner.type === 'user' && p.actor.type === 'user' && c.owner.userId === p.actor.id;
  if (c.owner.type === 'user' && !mine && !holds(p, 'conversations.assign')) throw new ParleyError('CONVERSATION_NOT_YOURS', { details: { ownerUserId: c.owner.userId } });
  const ref = await flowForConversation(ctx.db, c.workspaceId, c.senderId, null);
  const flow = ref ? await getVersion(ctx.db, c.workspaceId, ref.flowId, ref.version) : undefined;
  if (!ref || !flow) throw new ParleyError('BOT_NOT_ASSIGNED');
  const now = ctx.clock.now();
  const facts = await botFacts(ctx, c.workspaceId, c.contactId, now);
  if (!facts) throw new ParleyError('CONVERSATION_STATE_CONFLICT', { message: 'The conversation\'s contact was erased: the bot cannot talk to it.' });
  const { changed, queued, runId } = await ctx.db.transaction().execute(async (trx) => {
    const before = await lockConversation(trx, ctx.store.dialect, c.workspaceId, c.id);
    if (!before) throw new ParleyError('CONVERSATION_NOT_FOUND');
    const moved = transition(before, { type: 'bot_take', handBack: true }, now);
    if (!moved.ok) throw new ParleyError(moved.code, { message: moved.message, ...(moved.details ? { details: moved.details } : {}) });
    if (moved.changes.length === 0) throw new ParleyError('CONVERSATION_STATE_CONFLICT', { message: 'The bot already owns this conversation.' });
    const recorded = await record(ctx, trx, before, moved.next, moved.changes, principalActor(p), now);
    const existing = await lockRun(trx, ctx.keyring, ctx.store.dialect, before.id, before.cycle);
    const run = startRun(flow, ref, before, facts, now);
    if (existing) await restartRun(trx, ctx.keyring, { ...run, id: existing.id, turnsByNode: existing.turnsByNode, missedByNode: existing.missedByNode, misunderstandings: existing.misunderstandings, webhookFailures: existing.webhookFailures }, now);
    else await insertRun(trx, ctx.keyring, run, now);
    return { ...recorded, runId: existing?.id ?? run.id };
  });
  await afterCommit(ctx, c.workspaceId, queued);
  await carryOut(ctx, ports, runId);
  return changed;
}

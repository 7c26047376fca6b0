import type { ParleyContext } from '../runtime/context.js';
import type { AfterInbound, InboundEvent } from '../conversations/on-inbound.js';
import type { QueuedDomainEvent } from '../domain-events/bus.js';
import { lockConversation, type StoredConversation } from '../conversations/conversation-store.js';
import { afterCommit, record } from '../conversations/transitions.js';
import { transition } from '../conversations/state-machine.js';
import { chooseFlow, getVersion, senderFlows, type SenderFlow } from './flow-store.js';
import { factCache } from '../runtime/fact-caches.js';
import { botFacts, customerInput, entryOf } from './facts.js';
import { insertRun, lockRun, runIdOf, saveRun, withSeen, type BotRun } from './session-store.js';
import { startRun, advance } from './run-steps.js';
import { carryOut } from './carry-out.js';
import type { BotPorts } from './ports.js';
import { botPrometheus } from './prometheus-metrics.js';

/**
 * The bot answering customers (the I/O around the pure engine). A customer message, after the
 * conversations module recorded it: a new conversation (or a new cycle) of a sender a published flow
 * is assigned to is taken by the bot, in one transaction with its run of the flow; a conversation the
 * bot owns steps its run. Each step's effects are stored with the run (sealed) before anything is
 * carried out, then carried out after the commit (`carry-out.ts`); the sweep finishes what a crash
 * left. While a person owns the conversation, the bot does nothing: the run ended when it handed off,
 * and it starts again only in a new cycle or when a person hands the conversation back.
 */

type Outcome = { run: BotRun; conversation: StoredConversation; queued: QueuedDomainEvent[]; started: boolean } | 'retry' | null;

export function respondAsBot(ports: BotPorts): AfterInbound {
  return async (ctx, changed, event) => {
    const c = changed.conversation;
    // Quick exits before any read: a person owns it, or it is not open to the bot.
    if (c.owner.type === 'user' || (c.state !== 'pending' && c.state !== 'active')) return;
    if (!changed.events.some((e) => e.type === 'conversation.message_in')) return;
    for (let attempt = 0; attempt < 3; attempt++) {
      const outcome = await respondOnce(ctx, c, event);
      if (outcome === 'retry') continue;
      if (!outcome) return;
      if (outcome.started) botPrometheus(ctx).started.inc();
      await afterCommit(ctx, c.workspaceId, outcome.queued);
      await carryOut(ctx, ports, outcome.run.id, outcome);
      return;
    }
  };
}

async function respondOnce(ctx: ParleyContext, c: StoredConversation, event: InboundEvent): Promise<Outcome> {
  const ws = c.workspaceId;
  let existing: string | undefined;
  let ref: { flowId: string; version: number } | undefined;
  if (c.owner.type === 'nobody') {
    // The bot takes only what nobody answers yet. Most senders have no flow: that is known from a
    // cached read, before any other read and before the message is opened.
    if (c.state !== 'pending') return null;
    const flows = (await factCache<SenderFlow[]>(ctx, 'bot-sender-flows').get(`${ws}:${c.senderId}`, () => senderFlows(ctx.db, ws, c.senderId))) ?? [];
    if (flows.length === 0) return null;
    // A cycle the bot handed off (or a person resolved) stays with people.
    if (await runIdOf(ctx.db, c.id, c.cycle)) return null;
    const entry = c.cycle === 1 && flows.some((f) => f.entry !== '') ? await entryOf(ctx, event) : null;
    ref = chooseFlow(flows, entry);
    if (!ref) return null;
  } else {
    existing = await runIdOf(ctx.db, c.id, c.cycle);
    if (!existing) return null;
  }
  // A new run's flow is read here; a running one's inside the transaction, from the run (a hand-back may have moved it to a newer version). Versions are cached.
  const newFlow = ref ? await getVersion(ctx.db, ws, ref.flowId, ref.version) : undefined;
  const now = ctx.clock.now();
  const facts = await botFacts(ctx, ws, c.contactId, now);
  if ((ref && !newFlow) || !facts) return null;
  const input = await customerInput(ctx, event);
  return ctx.db.transaction().execute(async (trx): Promise<Outcome> => {
    const conv = await lockConversation(trx, ctx.store.dialect, ws, c.id);
    if (!conv || conv.cycle !== c.cycle || conv.owner.type === 'user') return null;
    const run = await lockRun(trx, ctx.keyring, ctx.store.dialect, c.id, c.cycle);
    if ((run && !existing) || (!run && existing)) return 'retry';
    if (!run) {
      if (!ref || !newFlow || conv.owner.type !== 'nobody' || conv.state !== 'pending') return null;
      const took = transition(conv, { type: 'bot_take' }, now);
      if (!took.ok) return null;
      const { queued, changed } = await record(ctx, trx, conv, took.next, took.changes, 'bot', now);
      const started = startRun(newFlow, ref, conv, facts, now, input);
      const run = { ...started, state: withSeen(started.state, event.messageId) };
      await insertRun(trx, ctx.keyring, run, now);
      return { run, conversation: changed.conversation, queued, started: true };
    }
    if (conv.owner.type !== 'bot' || (run.status !== 'active' && run.status !== 'waiting_webhook') || run.state.seen.includes(event.messageId)) return null;
    const flow = await getVersion(trx, ws, run.flowId, run.flowVersion);
    if (!flow) return null;
    const next = advance(flow, run, input, facts);
    const saved = { ...next, state: withSeen(next.state, event.messageId) };
    await saveRun(trx, ctx.keyring, saved, now);
    return { run: saved, conversation: conv, queued: [], started: false };
  });
}

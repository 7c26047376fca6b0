import type { Dispatcher } from 'undici';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { causesSeen, getConversation, lockConversation, type StoredConversation } from '../conversations/conversation-store.js';
import { afterCommit, record, recordSteps, type RecordedStep } from '../conversations/transitions.js';
import type { QueuedDomainEvent } from '../domain-events/bus.js';
import { transition, type ConversationChange } from '../conversations/state-machine.js';
import { insertNote } from '../conversations/note-store.js';
import { assignTeams } from '../conversations/assignment/engine.js';
import { getContact } from '../contacts/contact.js';
import { updateContact } from '../contacts/update-contact.js';
import { newId } from '../shared/ids.js';
import type { BotEffect } from './engine.js';
import { getVersion, sealedWebhookSecret } from './flow-store.js';
import { botFacts } from './facts.js';
import { businessWebhookAgent, callBusinessWebhook } from './business-webhook.js';
import { clearPending, findRun, lockRun, saveRun, type BotRun } from './session-store.js';
import { advance } from './run-steps.js';
import type { BotPorts } from './ports.js';
import { botPrometheus } from './prometheus-metrics.js';

/**
 * Carries out a run's pending effects, in order, after the step that made them committed: sends
 * (idempotent by the effect's key), contact changes, a hand-off, a resolution, and a business webhook
 * call, whose answer is the run's next step (its effects carried out in turn). Safe to run twice, or
 * in two processes at once: a send with the same key is accepted once, a hand-off or resolution of a
 * conversation the bot no longer owns does nothing, and a webhook's answer steps the run only while
 * it still waits for it. The effects are cleared only when all are done, so a crash in between leaves
 * them for the sweep (`bot-sweep.ts`).
 */
const MAX_ROUNDS = 20;

type Handed = Extract<BotEffect, { type: 'handoff' }>;

export async function carryOut(ctx: ParleyContext, ports: BotPorts, runId: string, fresh?: { run: BotRun; conversation: StoredConversation }): Promise<void> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    // The caller that just saved the run hands it over with the conversation it locked: no read (and no opening of the run's seal) again.
    const given = round === 0 ? fresh : undefined;
    const run = given ? given.run : await findRun(ctx.db, ctx.keyring, runId);
    if (!run || run.pending.length === 0) return;
    const c = given ? given.conversation : await getConversation(ctx.db, run.workspaceId, run.conversationId);
    if (!c) return;
    let answered: { node: string; result: { ok: true; body: unknown } | { ok: false; error: string } } | null = null;
    // Consecutive sends are accepted together (one commit), then recorded in the conversation in one transaction.
    let sends: BotSend[] = [];
    const flushSent = async (clear?: BotRun) => {
      const sent = sends.length ? await sendAsBot(ctx, ports, c, sends) : [];
      sends = [];
      if (sent.length) await recordSent(ctx, c, sent, clear);
      else if (clear) await clearPending(ctx.db, clear.id, clear.steps, ctx.clock.now());
    };
    for (const { key, effect } of run.pending) {
      if (effect.type === 'send') {
        sends.push({ key, message: effect.message });
        continue;
      }
      await flushSent();
      switch (effect.type) {
        case 'set_contact':
          await changeContact(ctx, c, effect);
          break;
        case 'handoff':
          await handOff(ctx, c, run, effect);
          break;
        case 'resolve':
          await resolveAsBot(ctx, c);
          break;
        case 'webhook':
          answered = { node: effect.node, result: await callWebhook(ctx, run, c, key, effect) };
          break;
      }
    }
    if (!answered) {
      // Nothing waits for an answer: the last sends are recorded and the effects cleared in one transaction.
      await flushSent(run);
      return;
    }
    await flushSent();
    if (!(await stepWithAnswer(ctx, run, answered.node, answered.result))) {
      await clearPending(ctx.db, run.id, run.steps, ctx.clock.now());
      return;
    }
  }
}

type BotSend = { key: string; message: { type: string } & Record<string, unknown> };

/**
 * The bot's messages, accepted like any other (in order, committed together); the ids of those
 * accepted. One the send API or a policy gate refuses (a flow's media link that is not a URL) is
 * the flow's fault: it is logged and the flow goes on.
 */
async function sendAsBot(ctx: ParleyContext, ports: BotPorts, c: StoredConversation, sends: readonly BotSend[]): Promise<string[]> {
  const metadata = { conversationId: c.id, cycle: c.cycle, author: 'bot' };
  const settled = await ports.sendMany(ctx, sends.map(({ key, message }) => ({ workspaceId: c.workspaceId, senderId: c.senderId, contactId: c.contactId, message, lane: 'conversation' as const, idempotencyKey: `bot:${key}`, metadata })));
  const ids: string[] = [];
  for (const sent of settled) {
    if (!sent.ok) {
      if (sent.error instanceof ParleyError && sent.error.status < 500) ctx.logger.warn({ conversationId: c.id, code: sent.error.code }, 'bot: a flow message was refused by the send API');
      else throw sent.error;
    } else if (sent.result.outcome === 'refused') ctx.logger.warn({ conversationId: c.id, code: sent.result.code }, 'bot: a flow message was refused by a policy gate');
    else ids.push(sent.result.messageId);
  }
  return ids;
}

/**
 * The bot's sent messages, recorded in the conversation as the bot's (not a person's) replies, each
 * once; with `clear`, the run's effects are cleared in the same transaction (they were the last).
 */
async function recordSent(ctx: ParleyContext, c: StoredConversation, messageIds: readonly string[], clear?: BotRun): Promise<void> {
  const now = ctx.clock.now();
  const queued = await ctx.db.transaction().execute(async (trx) => {
    const before = await lockConversation(trx, ctx.store.dialect, c.workspaceId, c.id);
    const out: QueuedDomainEvent[] = [];
    if (before) {
      const seen = await causesSeen(trx, c.id, 'conversation.message_out', messageIds);
      const steps: RecordedStep[] = [];
      let current = before;
      for (const messageId of messageIds) {
        if (seen.has(messageId)) continue;
        const moved = transition(current, { type: 'outbound', messageId, human: false }, now);
        if (!moved.ok) continue;
        steps.push({ next: moved.next, changes: moved.changes, cause: messageId });
        current = { ...current, ...moved.next };
      }
      out.push(...(await recordSteps(ctx, trx, before, steps, 'bot', now)).queued);
    }
    if (clear) await clearPending(trx, clear.id, clear.steps, now);
    return out;
  });
  await afterCommit(ctx, c.workspaceId, queued);
}

async function changeContact(ctx: ParleyContext, c: StoredConversation, effect: Extract<BotEffect, { type: 'set_contact' }>): Promise<void> {
  const contact = await getContact(ctx.db, ctx.keyring, c.workspaceId, c.contactId);
  if (!contact || contact.erasedAt !== null || contact.mergedInto !== null) return;
  const tags = [...new Set([...contact.tags.filter((t) => !effect.removeTags.includes(t)), ...effect.addTags])];
  const patch = { ...(Object.keys(effect.attributes).length ? { attributes: effect.attributes } : {}), ...(effect.addTags.length || effect.removeTags.length ? { tags } : {}) };
  if (Object.keys(patch).length === 0) return;
  try {
    await updateContact(ctx.db, ctx.keyring, c.workspaceId, c.contactId, patch, ctx.clock.now());
  } catch (error) {
    if (error instanceof ParleyError && error.status < 500) return void ctx.logger.warn({ conversationId: c.id, code: error.code }, 'bot: a flow\'s contact change was refused');
    throw error;
  }
}

/** What the bot collected, for the person who takes over: a private note on the conversation (sealed like every note). */
export function handoffSummary(effect: Handed): string {
  const lines = Object.entries(effect.summary).map(([k, v]) => `- ${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`);
  return [`Handed over by the bot: ${effect.detail}.`, ...(lines.length ? ['What the bot collected:', ...lines] : ['The bot collected nothing.'])].join('\n');
}

async function handOff(ctx: ParleyContext, c: StoredConversation, run: BotRun, effect: Handed): Promise<void> {
  const now = ctx.clock.now();
  const sealedText = await ctx.keyring.encrypt(c.workspaceId, handoffSummary(effect));
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const before = await lockConversation(trx, ctx.store.dialect, c.workspaceId, c.id);
    if (!before || before.owner.type !== 'bot' || before.cycle !== run.cycle) return null;
    const moved = transition(before, { type: 'handoff', reason: effect.reason, teamId: effect.teamId }, now);
    if (!moved.ok) return null;
    const noteId = newId('note', now);
    await insertNote(trx, c.workspaceId, { id: noteId, conversationId: c.id, author: 'bot', sealedText, mentions: [], createdAt: now });
    const changes: ConversationChange[] = [...moved.changes.map((ch) => ({ ...ch, data: { ...ch.data, detail: effect.detail, noteId } })), { type: 'conversation.note', data: { noteId } }];
    return record(ctx, trx, before, moved.next, changes, 'bot', now);
  });
  if (!outcome) return;
  botPrometheus(ctx).handoffs.inc({ reason: effect.reason });
  await afterCommit(ctx, c.workspaceId, outcome.queued);
  await assignTeams(ctx, c.workspaceId, [outcome.changed.conversation.teamId]);
}

async function resolveAsBot(ctx: ParleyContext, c: StoredConversation): Promise<void> {
  const now = ctx.clock.now();
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const before = await lockConversation(trx, ctx.store.dialect, c.workspaceId, c.id);
    if (!before || before.owner.type !== 'bot' || before.cycle !== c.cycle) return null;
    const moved = transition(before, { type: 'resolve' }, now);
    return moved.ok ? record(ctx, trx, before, moved.next, moved.changes, 'bot', now) : null;
  });
  if (!outcome) return;
  botPrometheus(ctx).resolved.inc();
  await afterCommit(ctx, c.workspaceId, outcome.queued);
}

const agents = new WeakMap<ParleyContext, Dispatcher>();

async function callWebhook(ctx: ParleyContext, run: BotRun, c: StoredConversation, key: string, effect: Extract<BotEffect, { type: 'webhook' }>) {
  const sealed = await sealedWebhookSecret(ctx.db, run.workspaceId, run.flowId);
  if (!sealed) return { ok: false as const, error: 'the flow no longer exists' };
  let dispatcher = agents.get(ctx);
  if (!dispatcher) agents.set(ctx, (dispatcher = businessWebhookAgent(ctx.config.botWebhooksAllowPrivateTargets)));
  const result = await callBusinessWebhook({
    url: effect.url,
    body: effect.body,
    secret: await ctx.keyring.decrypt(run.workspaceId, sealed),
    timeoutMs: effect.timeoutMs,
    retries: effect.retries,
    allowPrivate: ctx.config.botWebhooksAllowPrivateTargets,
    dispatcher,
    nowSeconds: Math.floor(ctx.clock.now() / 1000),
    idempotencyKey: key,
  });
  botPrometheus(ctx).webhookCalls.inc({ outcome: result.ok ? 'ok' : 'failed' });
  if (!result.ok) ctx.logger.warn({ conversationId: c.id, node: effect.node, error: result.error, attempts: result.attempts }, 'bot: a business webhook failed; the flow takes its error branch');
  return result.ok ? { ok: true as const, body: result.body } : { ok: false as const, error: result.error };
}

/** The webhook's answer as the run's next step, if the run still waits for it at that node; true when it stepped. */
async function stepWithAnswer(ctx: ParleyContext, run: BotRun, node: string, result: { ok: true; body: unknown } | { ok: false; error: string }): Promise<boolean> {
  const [flow, facts] = await Promise.all([getVersion(ctx.db, run.workspaceId, run.flowId, run.flowVersion), botFacts(ctx, run.workspaceId, (await getConversation(ctx.db, run.workspaceId, run.conversationId))?.contactId ?? '', ctx.clock.now())]);
  if (!flow || !facts) return false;
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await lockRun(trx, ctx.keyring, ctx.store.dialect, run.conversationId, run.cycle);
    if (!locked || locked.steps !== run.steps || locked.status !== 'waiting_webhook' || locked.state.engine.node !== node) return false;
    await saveRun(trx, ctx.keyring, advance(flow, { ...locked, pending: [] }, { kind: 'webhook', result }, facts), now);
    return true;
  });
}

import type { StoredConversation } from '../conversations/conversation-store.js';
import { newId } from '../shared/ids.js';
import type { FlowDefinition } from './flow-schema.js';
import { newSession, step, type BotFacts, type BotInput } from './engine.js';
import type { BotRun, BotRunStatus } from './session-store.js';

/** One step of a run: the engine's step, its effects queued with keys, the measures moved. */
export function advance(flow: FlowDefinition, run: BotRun, input: BotInput, facts: BotFacts): BotRun {
  const before = run.state.engine;
  const result = step(flow, before, input, facts);
  const steps = run.steps + 1;
  const effects = result.effects.map((effect, i) => ({ key: `${run.id}:${steps}:${i}`, effect }));
  const answered = input.kind === 'message' && before.status === 'waiting_customer' && result.effects.every((e) => e.type !== 'handoff' || e.reason !== 'asked_for_human');
  const handoff = result.effects.find((e) => e.type === 'handoff');
  const resolved = result.effects.some((e) => e.type === 'resolve');
  const status: BotRunStatus = handoff ? 'handed_off' : resolved ? 'resolved' : result.session.status === 'waiting_webhook' ? 'waiting_webhook' : result.session.status === 'ended' ? 'stopped' : 'active';
  const missedByNode = { ...result.session.missedAt };
  return {
    ...run,
    state: { ...run.state, engine: result.session },
    pending: [...run.pending, ...effects],
    steps,
    status,
    handoffReason: handoff?.type === 'handoff' ? handoff.reason : run.handoffReason,
    turnsByNode: answered ? { ...run.turnsByNode, [before.node]: (run.turnsByNode[before.node] ?? 0) + 1 } : run.turnsByNode,
    missedByNode,
    misunderstandings: Object.values(missedByNode).reduce((a, b) => a + b, 0),
    webhookFailures: run.webhookFailures + (input.kind === 'webhook' && !input.result.ok ? 1 : 0),
  };
}

/** A new run of `flow` for the conversation's cycle, started: its first words, and the first message when the flow opens by asking what the customer wants. */
export function startRun(flow: FlowDefinition, ref: { flowId: string; version: number }, c: StoredConversation, facts: BotFacts, now: number, first?: Extract<BotInput, { kind: 'message' }>): BotRun {
  const run: BotRun = {
    id: newId('bot', now),
    workspaceId: c.workspaceId,
    conversationId: c.id,
    cycle: c.cycle,
    flowId: ref.flowId,
    flowVersion: ref.version,
    status: 'active',
    state: { engine: newSession(flow), seen: [] },
    pending: [],
    steps: 0,
    handoffReason: null,
    misunderstandings: 0,
    missedByNode: {},
    turnsByNode: {},
    webhookFailures: 0,
    startedAt: now,
    updatedAt: now,
  };
  const started = advance(flow, run, { kind: 'start' }, facts);
  const waitingAt = flow.nodes[started.state.engine.node];
  // "Where is my order?" as the first words of a flow that opens with an intent node is its answer.
  return first && started.status === 'active' && started.state.engine.status === 'waiting_customer' && waitingAt?.type === 'intent' ? advance(flow, started, first, facts) : started;
}

import type { ParleyContext } from '../../runtime/context.js';
import { teamMemberStandings, userStanding } from '../../access/users/user-queries.js';
import { lockConversation } from '../conversation-store.js';
import { afterCommit, record, type Changed } from '../transitions.js';
import { transition } from '../state-machine.js';
import { agentsOf, lockAgent, markAssigned, openLoads } from './agent-queries.js';
import { teamPolicy } from './policy-queries.js';
import { waitingConversations } from './queue-queries.js';
import { assignmentMetricsFor } from './metrics.js';
import { capacityOf, chooseAgent, mayHoldConversations, orderQueue, type AssignmentRule, type Candidate, type TeamPolicy, type WaitingConversation } from './policy.js';

/**
 * The assignment engine: serves a team's queue by its policy (`policy.ts` decides, this file acts).
 * It runs when work may be given out: a conversation opened, reopened, released, handed off or moved
 * to a team; an agent came online or got more room; an agent's conversation was resolved, released or
 * moved away. The sweep (`sweep.ts`) runs it for every team with waiting conversations every few
 * seconds, so a crash between a change and its trigger delays work but never strands it.
 *
 * Several processes may serve one team at once (PostgreSQL). Each assignment is one transaction that
 * locks the agent's `agents` row, counts the agent's open conversations, and only then locks the
 * conversation and assigns it (command `assign`, actor `system`, the rule as the reason): two
 * assignments to one agent take turns and the second counts the first's, so an agent's capacity is
 * never exceeded, and a conversation assigned meanwhile is found no longer waiting. Locks are taken
 * agent row, then conversation, then the workspace's event head; nothing takes them in another order.
 */

/** Conversations read from the head of a queue at a time. */
const QUEUE_BATCH = 50;
/** At most this many assignments per run; the next trigger or sweep carries on. */
const MAX_PER_RUN = 500;

export interface Assignment {
  conversationId: string;
  userId: string;
  rule: AssignmentRule;
}

type Attempt = { ok: true } | { ok: false; why: 'agent_unavailable' | 'agent_full' | 'conversation_gone' };

/** The team's members who may hold conversations, with presence, capacity and open load. */
async function candidatesOf(ctx: ParleyContext, workspaceId: string, teamId: string): Promise<Candidate[]> {
  const members = (await teamMemberStandings(ctx.db, workspaceId, teamId)).filter(mayHoldConversations);
  const ids = members.map((m) => m.id);
  const [agents, loads] = await Promise.all([agentsOf(ctx.db, workspaceId, ids), openLoads(ctx.db, workspaceId, ids)]);
  return members.map((m) => {
    const a = agents.get(m.id)!;
    return { userId: m.id, teams: m.teams, presence: a.presence, capacity: a.capacity, openLoad: loads.get(m.id) ?? 0, lastAssignedAt: a.lastAssignedAt };
  });
}

/** One assignment, checked again under the agent's and the conversation's locks. */
async function assignOne(ctx: ParleyContext, workspaceId: string, waiting: WaitingConversation, userId: string, rule: AssignmentRule, policy: TeamPolicy): Promise<Attempt> {
  const now = ctx.clock.now();
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const agent = await lockAgent(trx, ctx.store.dialect, workspaceId, userId);
    if (!agent || agent.presence !== 'online') return { attempt: { ok: false, why: 'agent_unavailable' } as Attempt, queued: [] };
    const load = (await openLoads(trx, workspaceId, [userId])).get(userId) ?? 0;
    if (load >= capacityOf(agent, policy)) return { attempt: { ok: false, why: 'agent_full' } as Attempt, queued: [] };
    const before = await lockConversation(trx, ctx.store.dialect, workspaceId, waiting.id);
    if (!before || before.state !== 'pending' || before.owner.type !== 'nobody' || before.teamId !== waiting.teamId) return { attempt: { ok: false, why: 'conversation_gone' } as Attempt, queued: [] };
    const result = transition(before, { type: 'assign', userId }, now);
    if (!result.ok) return { attempt: { ok: false, why: 'conversation_gone' } as Attempt, queued: [] };
    const changes = result.changes.map((c) => ({ ...c, reason: rule, data: { ...c.data, rule } }));
    const { queued } = await record(ctx, trx, before, result.next, changes, 'system', now);
    await markAssigned(trx, userId, now);
    return { attempt: { ok: true } as Attempt, queued };
  });
  await afterCommit(ctx, workspaceId, outcome.queued);
  return outcome.attempt;
}

/**
 * Gives the team's waiting conversations to its available agents, in the policy's queue order, until
 * the queue is empty or nobody has room. Returns what it assigned. A team without a policy, or with a
 * manual one, is left alone.
 */
export async function assignWaiting(ctx: ParleyContext, workspaceId: string, teamId: string): Promise<Assignment[]> {
  const policy = await teamPolicy(ctx.db, workspaceId, teamId);
  if (policy.mode === 'manual') return [];
  const metrics = assignmentMetricsFor(ctx);
  const done: Assignment[] = [];
  const skipped = new Set<string>();
  let misses = 0;
  while (done.length < MAX_PER_RUN) {
    const queue = orderQueue(await waitingConversations(ctx.db, workspaceId, teamId, policy.queueOrder, QUEUE_BATCH + skipped.size), policy.queueOrder).filter((c) => !skipped.has(c.id));
    if (queue.length === 0) return done;
    const candidates = await candidatesOf(ctx, workspaceId, teamId);
    let stale = false;
    for (const waiting of queue) {
      const choice = chooseAgent(waiting, policy, candidates);
      // Nobody available for the head of the queue means nobody for the rest either.
      if (choice.userId === null) return done;
      const attempt = await assignOne(ctx, workspaceId, waiting, choice.userId, choice.rule, policy);
      if (attempt.ok) {
        done.push({ conversationId: waiting.id, userId: choice.userId, rule: choice.rule });
        metrics.assignments.inc({ rule: choice.rule });
        const chosen = candidates.find((c) => c.userId === choice.userId)!;
        chosen.openLoad += 1;
        chosen.lastAssignedAt = ctx.clock.now();
        if (done.length >= MAX_PER_RUN) return done;
        continue;
      }
      if (attempt.why === 'conversation_gone') {
        skipped.add(waiting.id);
        continue;
      }
      // The agent went offline or filled up meanwhile (another process assigned to them): look again.
      metrics.retries.inc();
      stale = true;
      break;
    }
    // Each miss means another process changed the picture; a bounded number of fresh looks is enough,
    // the next trigger or sweep carries on after that.
    if (stale && ++misses > 20) return done;
  }
  return done;
}

/** Serves each of these teams' queues (nulls and repeats ignored); a failure is logged, never thrown: the sweep tries again. */
export async function assignTeams(ctx: ParleyContext, workspaceId: string, teamIds: ReadonlyArray<string | null>): Promise<Assignment[]> {
  const out: Assignment[] = [];
  for (const teamId of new Set(teamIds)) {
    if (teamId === null) continue;
    try {
      out.push(...(await assignWaiting(ctx, workspaceId, teamId)));
    } catch (err) {
      ctx.logger.warn({ err, workspaceId, teamId }, 'assignment: serving the queue failed; the sweep tries again');
    }
  }
  return out;
}

/** An agent came online or got more room: serve every queue of their teams. */
export async function afterAgentChanged(ctx: ParleyContext, workspaceId: string, userId: string): Promise<Assignment[]> {
  const standing = await userStanding(ctx.db, workspaceId, userId);
  return standing ? assignTeams(ctx, workspaceId, standing.teams) : [];
}

/**
 * A conversation changed (a person's or a key's transition): serve its team's queue (it may be
 * waiting there now) and, when it left a person, the queues of that person's teams (they have room).
 */
export async function afterConversationChanged(ctx: ParleyContext, previousOwnerUserId: string | null, changed: Changed): Promise<Assignment[]> {
  const c = changed.conversation;
  const stillTheirs = c.owner.type === 'user' && c.owner.userId === previousOwnerUserId;
  const freed = previousOwnerUserId !== null && !stillTheirs ? ((await userStanding(ctx.db, c.workspaceId, previousOwnerUserId))?.teams ?? []) : [];
  const fromTeams = changed.events.map((e) => (typeof e.data.fromTeamId === 'string' ? e.data.fromTeamId : null));
  return assignTeams(ctx, c.workspaceId, [c.teamId, ...fromTeams, ...freed]);
}

/** Events of a customer message that put a conversation in its team's queue. */
const NEW_WORK = new Set(['conversation.opened', 'conversation.reopened', 'conversation.woke']);

/**
 * After a customer message: when it opened, reopened or woke a conversation that now waits in a team's
 * queue, serve that queue. A message joining a conversation that already waited adds no work (the
 * trigger that could have given it out already ran), so the hot path reads nothing more.
 */
export async function afterInboundAssign(ctx: ParleyContext, changed: Changed): Promise<void> {
  const c = changed.conversation;
  if (c.state !== 'pending' || c.owner.type !== 'nobody' || c.teamId === null) return;
  if (!changed.events.some((e) => NEW_WORK.has(e.type))) return;
  await assignTeams(ctx, c.workspaceId, [c.teamId]);
}

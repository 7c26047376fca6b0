/**
 * Assignment policy, pure: which agent a waiting conversation goes to, and in which order a team's
 * queue is served. No clock, no I/O: the engine (`engine.ts`) loads the facts and writes the result.
 *
 * Terminology
 * - waiting conversation: pending, owned by nobody (not the bot), not snoozed, with a team. Escalated
 *   conversations are not waiting here: a supervisor assigns them by hand (decision 0021).
 * - candidate: a member of the conversation's team who may hold conversations (active; agent,
 *   supervisor or admin), with their presence, capacity, open load and last automatic assignment.
 * - open load: the conversations a user owns now (any state but resolved: a snoozed one comes back
 *   to them, so it still counts).
 * - capacity: how many open conversations an agent may hold before automatic assignment skips them:
 *   their own (`agents.capacity`), else their team policy's, else `DEFAULT_CAPACITY`. Manual
 *   assignment and taking are not limited by it.
 * - mode: `manual` (the engine never assigns), `round_robin` (the online agent with room who was
 *   assigned least recently), `balanced` (the online agent with room and the lowest open load; ties go
 *   to the least recently assigned).
 * - queue order: `earliest_created` (oldest conversation first) or `longest_waiting` (the oldest
 *   unanswered customer message first; conversations with nothing unanswered after those).
 */

export const ASSIGNMENT_MODES = ['manual', 'round_robin', 'balanced'] as const;
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

export const QUEUE_ORDERS = ['earliest_created', 'longest_waiting'] as const;
export type QueueOrder = (typeof QUEUE_ORDERS)[number];

export const PRESENCES = ['online', 'away', 'offline'] as const;
export type Presence = (typeof PRESENCES)[number];

/** An agent's capacity when neither they nor their team's policy sets one. */
export const DEFAULT_CAPACITY = 5;

/** The largest capacity an agent or a policy may be given. */
export const MAX_CAPACITY = 1000;

/** How a team's queue is served. */
export interface TeamPolicy {
  mode: AssignmentMode;
  queueOrder: QueueOrder;
  /** The team's default capacity per agent; null: `DEFAULT_CAPACITY`. */
  capacity: number | null;
}

/** A team without a policy of its own: nothing is assigned automatically (decision 0021). */
export const DEFAULT_TEAM_POLICY: TeamPolicy = { mode: 'manual', queueOrder: 'earliest_created', capacity: null };

export interface WaitingConversation {
  id: string;
  teamId: string | null;
  /** The last person who owned it: a returning customer's previous agent. */
  lastUserId: string | null;
  createdAt: number;
  waitingSince: number | null;
  /** Who released it back to the queue in this cycle, if anyone: never given it again automatically. */
  releasedBy?: string | null;
}

export interface Candidate {
  userId: string;
  teams: readonly string[];
  presence: Presence;
  /** Their own capacity; null: the policy's. */
  capacity: number | null;
  openLoad: number;
  lastAssignedAt: number | null;
}

/** The rule that chose an agent: recorded as the assignment's reason and counted in the metrics. */
export type AssignmentRule = 'returning_customer' | 'round_robin' | 'balanced';

/** Why nobody was chosen. */
export type NoChoice = 'manual' | 'no_team' | 'no_agent_available';

export type Choice = { userId: string; rule: AssignmentRule } | { userId: null; why: NoChoice };

/** Whether a user of this role and status may be given conversations automatically. */
export function mayHoldConversations(user: { role: string; status: string }): boolean {
  return user.status === 'active' && (user.role === 'agent' || user.role === 'supervisor' || user.role === 'admin');
}

export function capacityOf(candidate: Pick<Candidate, 'capacity'>, policy: Pick<TeamPolicy, 'capacity'>): number {
  return candidate.capacity ?? policy.capacity ?? DEFAULT_CAPACITY;
}

/** Whether the candidate may receive this team's work now: a member, online, with room. */
export function available(candidate: Candidate, teamId: string, policy: TeamPolicy): boolean {
  return candidate.teams.includes(teamId) && candidate.presence === 'online' && candidate.openLoad < capacityOf(candidate, policy);
}

/** Earlier assignment first; never assigned before everyone; then by id, so the choice is stable. */
const byLastAssigned = (a: Candidate, b: Candidate): number =>
  (a.lastAssignedAt ?? -Infinity) - (b.lastAssignedAt ?? -Infinity) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);

/**
 * The agent a waiting conversation goes to, and the rule that chose them, or why nobody. A returning
 * customer goes back to the last person who owned the conversation when that person is available
 * (a member of its team, online, with room); otherwise the team's mode chooses. The person who
 * released it in this cycle is not chosen: release means "someone else", so it waits for another.
 */
export function chooseAgent(conversation: WaitingConversation, policy: TeamPolicy, candidates: readonly Candidate[]): Choice {
  if (policy.mode === 'manual') return { userId: null, why: 'manual' };
  const teamId = conversation.teamId;
  if (teamId === null) return { userId: null, why: 'no_team' };
  const open = candidates.filter((c) => available(c, teamId, policy) && c.userId !== conversation.releasedBy);
  if (open.length === 0) return { userId: null, why: 'no_agent_available' };
  const previous = conversation.lastUserId === null ? undefined : open.find((c) => c.userId === conversation.lastUserId);
  if (previous) return { userId: previous.userId, rule: 'returning_customer' };
  if (policy.mode === 'round_robin') return { userId: [...open].sort(byLastAssigned)[0]!.userId, rule: 'round_robin' };
  const balanced = [...open].sort((a, b) => a.openLoad - b.openLoad || byLastAssigned(a, b));
  return { userId: balanced[0]!.userId, rule: 'balanced' };
}

/** A team's waiting conversations in the order the policy serves them (a new array). */
export function orderQueue<C extends WaitingConversation>(conversations: readonly C[], order: QueueOrder): C[] {
  const created = (a: C, b: C) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  if (order === 'earliest_created') return [...conversations].sort(created);
  return [...conversations].sort((a, b) => (a.waitingSince ?? Infinity) - (b.waitingSince ?? Infinity) || created(a, b));
}

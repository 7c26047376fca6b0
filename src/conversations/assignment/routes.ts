import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { ParleyApp } from '../../http/types.js';
import type { ParleyContext } from '../../runtime/context.js';
import type { Principal } from '../../access/principal.js';
import { ParleyError } from '../../errors/parley-error.js';
import { Nullable, StringEnum, Timestamp, iso } from '../../http/schemas.js';
import { userStanding, userStandings, type UserStanding } from '../../access/users/user-queries.js';
import { getTeam } from '../../access/users/team-queries.js';
import { teamFilter } from '../../access/team-scope.js';
import { senderExists } from '../../senders/sender-queries.js';
import { agentsOf, openLoads, setCapacity, setPresence } from './agent-queries.js';
import { deletePolicy, getPolicy, listPolicies, putPolicy, POLICY_SCOPES, type PolicyScope, type StoredPolicy } from './policy-queries.js';
import { afterAgentChanged, assignTeams } from './engine.js';
import { ASSIGNMENT_MODES, MAX_CAPACITY, PRESENCES, QUEUE_ORDERS, mayHoldConversations, type Presence } from './policy.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Capacity = Type.Integer({ minimum: 0, maximum: MAX_CAPACITY });

const AgentView = Type.Object({
  userId: Type.String(),
  role: Type.String(),
  teams: Type.Array(Type.String()),
  presence: StringEnum(PRESENCES),
  presenceAt: Nullable(Timestamp()),
  capacity: Nullable(Type.Integer({ description: 'Their own capacity; null: their team policy\'s, else the default (5).' })),
  openLoad: Type.Integer({ description: 'Conversations they own now (any state but resolved).' }),
});

const PolicyView = Type.Object({
  scope: StringEnum(POLICY_SCOPES),
  scopeId: Type.String(),
  teamId: Nullable(Type.String({ description: 'A sender\'s policy: the team its new conversations go to.' })),
  mode: Nullable(StringEnum(ASSIGNMENT_MODES, { description: 'A team\'s policy: how its queue is served.' })),
  queueOrder: Nullable(StringEnum(QUEUE_ORDERS)),
  capacity: Nullable(Type.Integer({ description: 'A team\'s policy: the capacity of its agents who have none of their own.' })),
  updatedAt: Timestamp(),
});

const presentPolicy = (p: StoredPolicy) =>
  p.scope === 'sender'
    ? { scope: p.scope, scopeId: p.scopeId, teamId: p.teamId, mode: null, queueOrder: null, capacity: null, updatedAt: iso(p.updatedAt)! }
    : { scope: p.scope, scopeId: p.scopeId, teamId: null, mode: p.mode, queueOrder: p.queueOrder, capacity: p.capacity, updatedAt: iso(p.updatedAt)! };

/** Whether the principal may see this person as an agent: not limited, or sharing a team, or themself. */
const seesAgent = (p: Principal, user: UserStanding): boolean => {
  const filter = teamFilter(p);
  if (filter.kind === 'all') return true;
  if (p.actor.type === 'user' && p.actor.id === user.id) return true;
  return filter.kind === 'teams' && user.teams.some((t) => filter.teamIds.includes(t));
};

/**
 * Agents and assignment policies (M4): presence (`online` receives work, `away` and `offline` do not),
 * capacity, and how each sender's and team's conversations are routed and assigned. A change that may
 * give out work (online, more room, a team's policy) runs the assignment engine before answering.
 */
export async function assignmentRoutes(app: ParleyApp, ctx: ParleyContext) {
  const security = [{ apiKey: [] }];
  const tags = ['conversations'];
  const principal = (request: FastifyRequest) => request.principal!;

  const view = async (workspaceId: string, users: UserStanding[]) => {
    const ids = users.map((u) => u.id);
    const [agents, loads] = await Promise.all([agentsOf(ctx.db, workspaceId, ids), openLoads(ctx.db, workspaceId, ids)]);
    return users.map((u) => {
      const a = agents.get(u.id)!;
      return { userId: u.id, role: u.role, teams: u.teams, presence: a.presence, presenceAt: iso(a.presenceAt), capacity: a.capacity, openLoad: loads.get(u.id) ?? 0 };
    });
  };
  /** The agent a request names: an active user who may hold conversations and whom the principal sees. */
  const agentOf = async (request: FastifyRequest, userId: string) => {
    const p = principal(request);
    const user = await userStanding(ctx.db, p.workspaceId, userId);
    if (!user || !mayHoldConversations(user) || !seesAgent(p, user)) throw new ParleyError('AGENT_NOT_FOUND');
    return user;
  };
  const changePresence = async (request: FastifyRequest, userId: string, presence: Presence) => {
    const p = principal(request);
    const user = await agentOf(request, userId);
    const before = (await agentsOf(ctx.db, p.workspaceId, [userId])).get(userId)!;
    await setPresence(ctx.db, p.workspaceId, userId, presence, ctx.clock.now());
    request.audit({ id: userId, resource: { type: 'agent', id: userId }, diff: { presence: { from: before.presence, to: presence } } });
    if (presence === 'online') await afterAgentChanged(ctx, p.workspaceId, userId);
    return (await view(p.workspaceId, [user]))[0]!;
  };

  app.get('/v1/agents', {
    config: { permission: 'conversations.read' },
    schema: {
      tags,
      summary: 'The people who may hold conversations, with presence, capacity and open load: a supervisor or an agent sees those of their own teams.',
      security,
      response: { 200: Type.Object({ data: Type.Array(AgentView) }) },
    },
  }, async (request) => {
    const p = principal(request);
    const users = (await userStandings(ctx.db, p.workspaceId)).filter((u) => mayHoldConversations(u) && seesAgent(p, u));
    return { data: await view(p.workspaceId, users) };
  });

  const PresenceBody = Type.Object({ presence: StringEnum(PRESENCES) });

  app.put('/v1/agents/me/presence', {
    config: { permission: 'conversations.reply', audit: 'agent.presence_changed' },
    schema: { tags, summary: 'Set your own presence (a signed-in person): only `online` agents receive work.', security, body: PresenceBody, response: { 200: AgentView } },
  }, async (request) => {
    const p = principal(request);
    if (p.actor.type !== 'user') throw new ParleyError('AGENT_NEEDS_PERSON');
    return changePresence(request, p.actor.id, request.body.presence);
  });

  app.put('/v1/agents/:userId/presence', {
    config: { permission: 'conversations.assign', audit: 'agent.presence_changed' },
    schema: { tags, summary: 'Set a person\'s presence (an integration that knows who is at work, a supervisor).', security, params: Type.Object({ userId: Id }), body: PresenceBody, response: { 200: AgentView } },
  }, async (request) => changePresence(request, request.params.userId, request.body.presence));

  app.patch('/v1/agents/:userId', {
    config: { permission: 'conversations.assign', audit: 'agent.updated' },
    schema: {
      tags,
      summary: 'Set how many open conversations a person may hold before automatic assignment skips them (null: their team policy\'s).',
      security,
      params: Type.Object({ userId: Id }),
      body: Type.Object({ capacity: Nullable(Capacity) }),
      response: { 200: AgentView },
    },
  }, async (request) => {
    const p = principal(request);
    const user = await agentOf(request, request.params.userId);
    const before = (await agentsOf(ctx.db, p.workspaceId, [user.id])).get(user.id)!;
    await setCapacity(ctx.db, p.workspaceId, user.id, request.body.capacity, ctx.clock.now());
    request.audit({ id: user.id, resource: { type: 'agent', id: user.id }, diff: { capacity: { from: before.capacity, to: request.body.capacity } } });
    await afterAgentChanged(ctx, p.workspaceId, user.id);
    return (await view(p.workspaceId, [user]))[0]!;
  });

  const ScopeParams = Type.Object({ scope: StringEnum(POLICY_SCOPES), scopeId: Id });

  app.get('/v1/assignment-policies', {
    config: { permission: 'conversations.read' },
    schema: { tags, summary: 'How conversations are routed (per sender: to a team) and assigned (per team: manual, round robin or balanced).', security, response: { 200: Type.Object({ data: Type.Array(PolicyView) }) } },
  }, async (request) => ({ data: (await listPolicies(ctx.db, principal(request).workspaceId)).map(presentPolicy) }));

  app.put('/v1/assignment-policies/:scope/:scopeId', {
    config: { permission: 'settings.manage', audit: 'assignment_policy.updated' },
    schema: {
      tags,
      summary: 'Set a sender\'s policy (`teamId`: the team its new conversations go to) or a team\'s (`mode`, `queueOrder`, `capacity`). A team without one is manual.',
      security,
      params: ScopeParams,
      body: Type.Object({
        teamId: Type.Optional(Id),
        mode: Type.Optional(StringEnum(ASSIGNMENT_MODES)),
        queueOrder: Type.Optional(StringEnum(QUEUE_ORDERS, { description: 'Default `earliest_created`.' })),
        capacity: Type.Optional(Nullable(Capacity)),
      }),
      response: { 200: PolicyView },
    },
  }, async (request) => {
    const p = principal(request);
    const { scope, scopeId } = request.params as { scope: PolicyScope; scopeId: string };
    const body = request.body;
    const now = ctx.clock.now();
    let policy: StoredPolicy;
    if (scope === 'sender') {
      if (!(await senderExists(ctx.db, p.workspaceId, scopeId))) throw new ParleyError('SENDER_NOT_FOUND');
      if (body.teamId === undefined || body.mode !== undefined || body.queueOrder !== undefined || body.capacity !== undefined) throw new ParleyError('ASSIGNMENT_POLICY_INVALID', { field: '/teamId', details: { scope, needs: ['teamId'], refuses: ['mode', 'queueOrder', 'capacity'] } });
      if (!(await getTeam(ctx.db, p.workspaceId, body.teamId))) throw new ParleyError('TEAM_NOT_FOUND', { field: '/teamId' });
      policy = { scope, scopeId, teamId: body.teamId, updatedAt: now };
    } else {
      if (!(await getTeam(ctx.db, p.workspaceId, scopeId))) throw new ParleyError('TEAM_NOT_FOUND');
      if (body.teamId !== undefined || body.mode === undefined) throw new ParleyError('ASSIGNMENT_POLICY_INVALID', { field: '/mode', details: { scope, needs: ['mode'], refuses: ['teamId'] } });
      policy = { scope, scopeId, mode: body.mode, queueOrder: body.queueOrder ?? 'earliest_created', capacity: body.capacity ?? null, updatedAt: now };
    }
    const before = await getPolicy(ctx.db, p.workspaceId, scope, scopeId);
    await putPolicy(ctx.db, p.workspaceId, policy);
    request.audit({ id: `${scope}:${scopeId}`, resource: { type: 'assignment_policy', id: `${scope}:${scopeId}` }, diff: { policy: { from: before ? presentPolicy(before) : null, to: presentPolicy(policy) } } });
    if (policy.scope === 'team') await assignTeams(ctx, p.workspaceId, [scopeId]);
    return presentPolicy(policy);
  });

  app.delete('/v1/assignment-policies/:scope/:scopeId', {
    config: { permission: 'settings.manage', audit: 'assignment_policy.deleted' },
    schema: { tags, summary: 'Delete a policy: the sender\'s new conversations get no team, the team\'s queue is assigned by hand.', security, params: ScopeParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    const { scope, scopeId } = request.params as { scope: PolicyScope; scopeId: string };
    if (!(await deletePolicy(ctx.db, principal(request).workspaceId, scope, scopeId))) throw new ParleyError('ASSIGNMENT_POLICY_NOT_FOUND');
    request.audit({ id: `${scope}:${scopeId}`, resource: { type: 'assignment_policy', id: `${scope}:${scopeId}` } });
    return reply.status(204).send(null);
  });
}

import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { visibleConversation } from './reply.js';
import { ParleyError } from '../errors/parley-error.js';
import { Nullable, StringEnum, Timestamp, iso } from '../http/schemas.js';
import { auditDiff } from '../access/audit-port.js';
import { teamFilter } from '../access/team-scope.js';
import { getTeam } from '../access/users/team-queries.js';
import { getSender } from '../senders/sender-queries.js';
import { isUniqueViolation } from '../db/errors.js';
import { newId } from '../shared/ids.js';
import { MINUTE } from '../shared/time.js';
import { WEEKDAYS, parseBusinessHours, type BusinessHoursSetting } from './business-hours.js';
import { loadBusinessHours, writeBusinessHours } from './business-hours-settings.js';
import { cycleEvents } from './conversation-store.js';
import { closedCycles } from './cycle-store.js';
import { cycleTimeline } from './cycle-timeline.js';
import { metricsReport } from './metrics-report.js';
import { checkDayRange } from '../shared/day-range.js';
import { SLA_STATUSES, SLA_TARGET_KINDS, evaluateSla } from './sla-evaluation.js';
import { SLA_LEVELS, SLA_SCOPES, choosePolicy, deletePolicy, getPolicy, insertPolicy, listAlerts, listPolicies, scopeKey, updatePolicy, type SlaAlert, type SlaPolicy } from './sla-store.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Day = Type.String({ minLength: 10, maxLength: 10, pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A date, YYYY-MM-DD.' });
const HourMinute = Type.String({ minLength: 5, maxLength: 5, pattern: '^\\d{2}:\\d{2}$', description: 'HH:MM; `24:00` as an end.' });
const Interval = Type.Object({ start: HourMinute, end: HourMinute }, { additionalProperties: false, description: 'Open from `start` to `end`; an end at or before the start runs past midnight into the next day.' });
const BusinessHours = Type.Object(
  {
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. `Europe/Berlin`.' }),
    week: Type.Object(Object.fromEntries(WEEKDAYS.map((d) => [d, Type.Optional(Type.Array(Interval, { maxItems: 8 }))])), { additionalProperties: false, description: 'Open intervals per weekday (`mon` … `sun`); a day left out is closed.' }),
    holidays: Type.Array(Day, { maxItems: 400, description: 'Closed local dates.' }),
  },
  { additionalProperties: false },
);
const Minutes = (description: string) => Nullable(Type.Integer({ minimum: 1, maximum: 525_600, description: `${description}, in minutes (of business hours when \`businessHours\`); null: no such target.` }));
const PolicyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scope: StringEnum(SLA_SCOPES, { description: '`default` (the workspace), `team` or `sender`: a sender\'s policy wins over a team\'s, a team\'s over the default.' }),
    scopeId: Type.Optional(Nullable(Id)),
    firstResponseMinutes: Minutes('From the cycle start to the first public reply by a person'),
    nextResponseMinutes: Minutes('From a customer message after a reply to the next reply by a person'),
    resolutionMinutes: Minutes('From the cycle start to the resolution'),
    businessHours: Type.Boolean({ description: 'Count targets in the workspace\'s business hours instead of wall-clock time.' }),
    nearBreachPercent: Type.Optional(Type.Integer({ minimum: 1, maximum: 99, default: 80, description: 'A target is near breach once this share of it is used.' })),
  },
  { additionalProperties: false },
);
const PolicyView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scope: StringEnum(SLA_SCOPES),
  scopeId: Nullable(Type.String()),
  firstResponseMinutes: Nullable(Type.Number()),
  nextResponseMinutes: Nullable(Type.Number()),
  resolutionMinutes: Nullable(Type.Number()),
  businessHours: Type.Boolean(),
  nearBreachPercent: Type.Integer(),
  createdAt: Timestamp(),
  updatedAt: Timestamp(),
});
const minutes = (ms: number | null) => (ms === null ? null : ms / MINUTE);
/** What the audit trail keeps of a policy: its settings. */
const auditedPolicy = (p: SlaPolicy) => ({
  name: p.name,
  scope: p.scope,
  scopeId: p.scopeId,
  firstResponseMinutes: minutes(p.firstResponseMs),
  nextResponseMinutes: minutes(p.nextResponseMs),
  resolutionMinutes: minutes(p.resolutionMs),
  businessHours: p.businessHours,
  nearBreachPercent: p.nearBreachPercent,
});
const presentPolicy = (p: SlaPolicy): Static<typeof PolicyView> => ({ id: p.id, ...auditedPolicy(p), createdAt: iso(p.createdAt)!, updatedAt: iso(p.updatedAt)! });

const AlertView = Type.Object({
  conversationId: Type.String(),
  cycle: Type.Integer(),
  target: StringEnum(SLA_TARGET_KINDS),
  level: StringEnum(SLA_LEVELS),
  teamId: Nullable(Type.String()),
  policyId: Type.String(),
  targetMinutes: Type.Number(),
  dueAt: Nullable(Timestamp({ description: 'When the target was (near breach: when that share of it was) reached.' })),
  at: Timestamp({ description: 'When the alert was recorded.' }),
});
const presentAlert = (a: SlaAlert): Static<typeof AlertView> => ({ conversationId: a.conversationId, cycle: a.cycle, target: a.kind, level: a.level, teamId: a.teamId, policyId: a.policyId, targetMinutes: a.targetMs / MINUTE, dueAt: iso(a.dueAt), at: iso(a.at)! });
const cursorOf = (a: SlaAlert) => Buffer.from(JSON.stringify([a.at, a.conversationId, a.cycle, a.kind, a.level])).toString('base64url');
function parseCursor(cursor: string): Pick<SlaAlert, 'at' | 'conversationId' | 'cycle' | 'kind' | 'level'> {
  try {
    const [at, conversationId, cycle, kind, level] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [number, string, number, SlaAlert['kind'], SlaAlert['level']];
    if (Number.isSafeInteger(at) && typeof conversationId === 'string' && Number.isSafeInteger(cycle) && SLA_TARGET_KINDS.includes(kind) && SLA_LEVELS.includes(level)) return { at, conversationId, cycle, kind, level };
  } catch {
    // Falls through to the refusal below.
  }
  throw new ParleyError('REQUEST_INVALID', { field: '/before', message: 'Not a cursor of this list: pass the `nextCursor` of the previous page.' });
}

const Summary = Type.Object({ count: Type.Integer(), avgMs: Nullable(Type.Integer()), medianMs: Nullable(Type.Integer()), p90Ms: Nullable(Type.Integer()) });
const Pair = Type.Object({ wall: Summary, business: Summary });
const DayReport = Type.Object({ day: Type.String(), cycles: Type.Integer(), firstResponse: Pair, resolution: Pair, resolutionWithoutBot: Pair, bot: Pair });

const TargetStatus = Type.Object({
  target: StringEnum(SLA_TARGET_KINDS),
  status: StringEnum(SLA_STATUSES),
  targetMinutes: Type.Number(),
  elapsedMs: Type.Integer({ description: 'Clock used so far, pauses left out (business ms for a business-hours policy).' }),
  dueAt: Nullable(Timestamp({ description: 'When the target is (or was) reached; null while the clock is paused.' })),
  nearAt: Nullable(Timestamp()),
});

/**
 * Conversation SLAs and metrics (M4): the workspace's business hours, SLA policies, the alerts the SLA
 * worker recorded, a conversation's SLA clocks, and the per-day metrics of resolved cycles. The
 * definitions are in docs/conversations.md.
 */
export async function slaRoutes(app: ParleyApp, ctx: ParleyContext) {
  const security = [{ apiKey: [] }];
  const principal = (request: FastifyRequest) => request.principal!;

  app.get('/v1/conversations/settings/business-hours', {
    config: { permission: 'workspace.read' },
    schema: { tags: ['conversations'], summary: 'The workspace\'s business hours (null: none set, business-hour figures are null).', security, response: { 200: Type.Object({ businessHours: Nullable(BusinessHours) }) } },
  }, async (request) => ({ businessHours: ((await loadBusinessHours(ctx.db, principal(request).workspaceId))?.setting ?? null) as Static<typeof BusinessHours> | null }));

  app.put('/v1/conversations/settings/business-hours', {
    config: { permission: 'settings.manage', audit: 'business_hours.updated' },
    schema: {
      tags: ['conversations'],
      summary: 'Set the workspace\'s business hours: its time zone, open intervals per weekday and holidays. Metrics recorded from now on use them; SLA clocks follow them at once.',
      security,
      body: BusinessHours,
      response: { 200: Type.Object({ businessHours: BusinessHours }) },
    },
  }, async (request) => {
    const setting = request.body as BusinessHoursSetting;
    const parsed = parseBusinessHours(setting);
    if (!parsed.ok) throw new ParleyError('BUSINESS_HOURS_INVALID', { field: parsed.field, message: parsed.message });
    const written = await writeBusinessHours(ctx.db, principal(request).workspaceId, setting);
    if (!written) throw new ParleyError('WORKSPACE_NOT_FOUND');
    const resource = { type: 'business_hours', id: null };
    request.audit({ resource, diff: auditDiff(resource, written.before ? { ...written.before } : undefined, { ...setting }) });
    return { businessHours: request.body };
  });

  app.delete('/v1/conversations/settings/business-hours', {
    config: { permission: 'settings.manage', audit: 'business_hours.removed' },
    schema: { tags: ['conversations'], summary: 'Remove the business hours: business-hour figures of cycles closed from now on are null, and business-hour SLA targets stop being timed.', security, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    const written = await writeBusinessHours(ctx.db, principal(request).workspaceId, null);
    if (!written) throw new ParleyError('WORKSPACE_NOT_FOUND');
    const resource = { type: 'business_hours', id: null };
    request.audit({ resource, diff: auditDiff(resource, written.before ? { ...written.before } : undefined, undefined) });
    return reply.status(204).send(null);
  });

  /** Checks a policy body against the workspace and builds the policy. */
  const policyFrom = async (workspaceId: string, body: Static<typeof PolicyBody>, existing: SlaPolicy | undefined, now: number): Promise<SlaPolicy> => {
    const scopeId = body.scopeId ?? null;
    if ((body.scope === 'default') !== (scopeId === null)) throw new ParleyError('SLA_POLICY_INVALID', { field: '/scopeId', message: body.scope === 'default' ? 'The default policy has no `scopeId`.' : `A ${body.scope} policy names its ${body.scope} in \`scopeId\`.` });
    if (body.firstResponseMinutes === null && body.nextResponseMinutes === null && body.resolutionMinutes === null) throw new ParleyError('SLA_POLICY_INVALID', { message: 'Set at least one target.' });
    if (body.scope === 'team' && !(await getTeam(ctx.db, workspaceId, scopeId!))) throw new ParleyError('TEAM_NOT_FOUND', { field: '/scopeId' });
    if (body.scope === 'sender' && !(await getSender(ctx.db, scopeId!, workspaceId))) throw new ParleyError('SENDER_NOT_FOUND', { field: '/scopeId' });
    if (body.businessHours && !(await loadBusinessHours(ctx.db, workspaceId))) throw new ParleyError('BUSINESS_HOURS_MISSING', { field: '/businessHours' });
    const ms = (m: number | null) => (m === null ? null : m * MINUTE);
    return {
      id: existing?.id ?? newId('sla', now),
      workspaceId,
      name: body.name,
      scope: body.scope,
      scopeId,
      firstResponseMs: ms(body.firstResponseMinutes),
      nextResponseMs: ms(body.nextResponseMinutes),
      resolutionMs: ms(body.resolutionMinutes),
      businessHours: body.businessHours,
      nearBreachPercent: body.nearBreachPercent ?? 80,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
  };
  /** Writes a policy; another policy of the same scope is a conflict naming it. */
  const savePolicy = async (policy: SlaPolicy, write: () => Promise<void>) => {
    const taken = (await listPolicies(ctx.db, policy.workspaceId)).find((p) => p.id !== policy.id && scopeKey(p.scope, p.scopeId) === scopeKey(policy.scope, policy.scopeId));
    const conflict = (id: string | undefined) => new ParleyError('SLA_POLICY_SCOPE_TAKEN', { field: '/scope', ...(id ? { details: { policyId: id } } : {}) });
    if (taken) throw conflict(taken.id);
    await write().catch((error: unknown) => Promise.reject(isUniqueViolation(error) ? conflict(undefined) : error));
  };

  app.get('/v1/sla-policies', {
    config: { permission: 'conversations.read' },
    schema: { tags: ['conversations'], summary: 'The workspace\'s SLA policies.', security, response: { 200: Type.Object({ data: Type.Array(PolicyView) }) } },
  }, async (request) => ({ data: (await listPolicies(ctx.db, principal(request).workspaceId)).map(presentPolicy) }));

  app.get('/v1/sla-policies/:id', {
    config: { permission: 'conversations.read' },
    schema: { tags: ['conversations'], summary: 'One SLA policy.', security, params: Type.Object({ id: Id }), response: { 200: PolicyView } },
  }, async (request) => {
    const policy = await getPolicy(ctx.db, principal(request).workspaceId, request.params.id);
    if (!policy) throw new ParleyError('SLA_POLICY_NOT_FOUND');
    return presentPolicy(policy);
  });

  app.post('/v1/sla-policies', {
    config: { permission: 'settings.manage', audit: 'sla_policy.created' },
    schema: { tags: ['conversations'], summary: 'Create an SLA policy for the workspace (`default`), a team or a sender; one per scope.', security, body: PolicyBody, response: { 201: PolicyView } },
  }, async (request, reply) => {
    const policy = await policyFrom(principal(request).workspaceId, request.body, undefined, ctx.clock.now());
    await savePolicy(policy, () => insertPolicy(ctx.db, policy));
    const resource = { type: 'sla_policy', id: policy.id };
    request.audit({ resource, diff: auditDiff(resource, undefined, auditedPolicy(policy)) });
    return reply.status(201).send(presentPolicy(policy));
  });

  app.put('/v1/sla-policies/:id', {
    config: { permission: 'settings.manage', audit: 'sla_policy.updated' },
    schema: { tags: ['conversations'], summary: 'Replace an SLA policy. Alerts already recorded stay; open conversations are timed by the new targets from the next scan.', security, params: Type.Object({ id: Id }), body: PolicyBody, response: { 200: PolicyView } },
  }, async (request) => {
    const workspaceId = principal(request).workspaceId;
    const before = await getPolicy(ctx.db, workspaceId, request.params.id);
    if (!before) throw new ParleyError('SLA_POLICY_NOT_FOUND');
    const policy = await policyFrom(workspaceId, request.body, before, ctx.clock.now());
    await savePolicy(policy, () => updatePolicy(ctx.db, policy));
    request.audit({ diff: auditDiff({ type: 'sla_policy', id: policy.id }, auditedPolicy(before), auditedPolicy(policy)) });
    return presentPolicy(policy);
  });

  app.delete('/v1/sla-policies/:id', {
    config: { permission: 'settings.manage', audit: 'sla_policy.deleted' },
    schema: { tags: ['conversations'], summary: 'Delete an SLA policy. Its alerts stay listed.', security, params: Type.Object({ id: Id }), response: { 204: Type.Null() } },
  }, async (request, reply) => {
    const workspaceId = principal(request).workspaceId;
    const before = await getPolicy(ctx.db, workspaceId, request.params.id);
    if (!before || !(await deletePolicy(ctx.db, workspaceId, before.id))) throw new ParleyError('SLA_POLICY_NOT_FOUND');
    request.audit({ diff: auditDiff({ type: 'sla_policy', id: before.id }, auditedPolicy(before), undefined) });
    return reply.status(204).send(null);
  });

  app.get('/v1/sla/breaches', {
    config: { permission: 'conversations.read' },
    schema: {
      tags: ['conversations'],
      summary: 'SLA alerts (breaches, and near breaches with `level`), newest first: an agent sees their own teams\' only.',
      security,
      querystring: Type.Object({
        state: Type.Optional(StringEnum(['open', 'closed', 'all'] as const, { default: 'open', description: '`open`: the cycle is the conversation\'s current one and not resolved; `closed`: it has ended.' })),
        level: Type.Optional(StringEnum(SLA_LEVELS, { default: 'breach' })),
        target: Type.Optional(StringEnum(SLA_TARGET_KINDS)),
        teamId: Type.Optional(Id),
        before: Type.Optional(Type.String({ minLength: 1, maxLength: 300, description: 'Cursor: the `nextCursor` of the previous page.' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
      }),
      response: { 200: Type.Object({ data: Type.Array(AlertView), nextCursor: Nullable(Type.String()) }) },
    },
  }, async (request) => {
    const q = request.query;
    const limit = q.limit ?? 50;
    const rows = await listAlerts(ctx.db, principal(request).workspaceId, {
      state: q.state ?? 'open',
      level: q.level ?? 'breach',
      ...(q.target ? { kind: q.target } : {}),
      ...(q.teamId ? { teamId: q.teamId } : {}),
      ...(q.before ? { before: parseCursor(q.before) } : {}),
      teams: teamFilter(principal(request)),
      limit,
    });
    return { data: rows.map(presentAlert), nextCursor: rows.length === limit ? cursorOf(rows.at(-1)!) : null };
  });

  app.get('/v1/conversations/:id/sla', {
    config: { permission: 'conversations.read' },
    schema: {
      tags: ['conversations'],
      summary: 'The SLA clocks of the conversation\'s current cycle under the policy that applies to it (none: `policyId` null).',
      security,
      params: Type.Object({ id: Id }),
      response: { 200: Type.Object({ policyId: Nullable(Type.String()), cycle: Type.Integer(), targets: Type.Array(TargetStatus) }) },
    },
  }, async (request) => {
    const c = await visibleConversation(ctx, principal(request), request.params.id);
    const policy = choosePolicy(await listPolicies(ctx.db, c.workspaceId), c);
    if (!policy) return { policyId: null, cycle: c.cycle, targets: [] };
    const now = ctx.clock.now();
    const hours = await loadBusinessHours(ctx.db, c.workspaceId);
    const timeline = cycleTimeline(c.cycleStartedAt, await cycleEvents(ctx.db, c.workspaceId, c.id, c.cycle), now);
    const targets = evaluateSla({ ...policy, nearBreachRatio: policy.nearBreachPercent / 100 }, hours?.calendar ?? null, timeline, now);
    return { policyId: policy.id, cycle: c.cycle, targets: targets.map((t) => ({ target: t.kind, status: t.status, targetMinutes: t.targetMs / MINUTE, elapsedMs: t.elapsedMs, dueAt: iso(t.dueAt), nearAt: iso(t.nearAt) })) };
  });

  app.get('/v1/conversations/metrics', {
    config: { permission: 'analytics.read' },
    schema: {
      tags: ['conversations'],
      summary: 'Per day, the resolved cycles\' first response and resolution times (count, average, median, 90th percentile; wall-clock and business hours; the bot\'s time apart), counted on the workspace-local day each cycle closed. Definitions: docs/conversations.md.',
      security,
      querystring: Type.Object({ from: Day, to: Day, teamId: Type.Optional(Id) }),
      response: { 200: Type.Object({ from: Type.String(), to: Type.String(), days: Type.Array(DayReport), total: DayReport }) },
    },
  }, async (request) => {
    const { from, to, teamId } = request.query;
    checkDayRange(from, to);
    const rows = await closedCycles(ctx.db, principal(request).workspaceId, { fromDay: from, toDay: to, ...(teamId ? { teamId } : {}), teams: teamFilter(principal(request)) });
    const report = metricsReport(rows.map((r) => ({ closedDay: r.closed_day, firstResponseMs: r.first_response_ms, firstResponseBusinessMs: r.first_response_business_ms, resolutionMs: r.resolution_ms, resolutionBusinessMs: r.resolution_business_ms, botMs: r.bot_ms, botBusinessMs: r.bot_business_ms })));
    return { from, to, ...report };
  });
}

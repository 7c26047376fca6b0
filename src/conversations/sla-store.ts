import type { Kysely, Selectable } from 'kysely';
import type { TeamFilter } from '../access/team-scope.js';
import { fromRow, type ConversationsDb, type StoredConversation } from './conversation-store.js';
import type { SlaTargetKind } from './sla-evaluation.js';
import type { ConversationsTables, SlaAlertsTable, SlaPoliciesTable } from './tables.js';

/** SLA policies and alerts (`sla_policies`, `sla_alerts`), and the open conversations the SLA worker scans. */
const tablesOf = <DB extends ConversationsTables>(db: ConversationsDb<DB>): Kysely<ConversationsTables> => db as unknown as Kysely<ConversationsTables>;

export const SLA_SCOPES = ['default', 'team', 'sender'] as const;
export type SlaScope = (typeof SLA_SCOPES)[number];
export const SLA_LEVELS = ['near_breach', 'breach'] as const;
export type SlaLevel = (typeof SLA_LEVELS)[number];

export interface SlaPolicy {
  id: string;
  workspaceId: string;
  name: string;
  scope: SlaScope;
  /** The team's or sender's id; null for `default`. */
  scopeId: string | null;
  firstResponseMs: number | null;
  nextResponseMs: number | null;
  resolutionMs: number | null;
  businessHours: boolean;
  nearBreachPercent: number;
  createdAt: number;
  updatedAt: number;
}

const num = (v: number | null) => (v === null ? null : Number(v));
export const scopeKey = (scope: SlaScope, scopeId: string | null) => (scope === 'default' ? 'default' : `${scope}:${scopeId}`);

const policyFromRow = (r: Selectable<SlaPoliciesTable>): SlaPolicy => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  scope: r.scope as SlaScope,
  scopeId: r.scope_id,
  firstResponseMs: num(r.first_response_ms),
  nextResponseMs: num(r.next_response_ms),
  resolutionMs: num(r.resolution_ms),
  businessHours: Number(r.business_hours) === 1,
  nearBreachPercent: Number(r.near_breach_percent),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const policyRow = (p: SlaPolicy): Selectable<SlaPoliciesTable> => ({
  id: p.id,
  workspace_id: p.workspaceId,
  name: p.name,
  scope: p.scope,
  scope_id: p.scopeId,
  scope_key: scopeKey(p.scope, p.scopeId),
  first_response_ms: p.firstResponseMs,
  next_response_ms: p.nextResponseMs,
  resolution_ms: p.resolutionMs,
  business_hours: p.businessHours ? 1 : 0,
  near_breach_percent: p.nearBreachPercent,
  created_at: p.createdAt,
  updated_at: p.updatedAt,
});

export async function listPolicies<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string): Promise<SlaPolicy[]> {
  const rows = await tablesOf(db).selectFrom('sla_policies').selectAll().where('workspace_id', '=', workspaceId).orderBy('scope_key').execute();
  return rows.map(policyFromRow);
}

export async function getPolicy<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, id: string): Promise<SlaPolicy | undefined> {
  const row = await tablesOf(db).selectFrom('sla_policies').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row && policyFromRow(row);
}

/** Inserts a policy; throws the unique violation when its scope already has one. */
export async function insertPolicy<DB extends ConversationsTables>(db: ConversationsDb<DB>, policy: SlaPolicy): Promise<void> {
  await tablesOf(db).insertInto('sla_policies').values(policyRow(policy)).execute();
}

/** Replaces a policy's fields (scope included); throws the unique violation when the new scope has another. */
export async function updatePolicy<DB extends ConversationsTables>(db: ConversationsDb<DB>, policy: SlaPolicy): Promise<void> {
  const { id, workspace_id, created_at, ...rest } = policyRow(policy);
  void created_at;
  await tablesOf(db).updateTable('sla_policies').set(rest).where('id', '=', id).where('workspace_id', '=', workspace_id).execute();
}

export async function deletePolicy<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, id: string): Promise<boolean> {
  const result = await tablesOf(db).deleteFrom('sla_policies').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The policy that applies to a conversation: its sender's, else its team's, else the workspace default. */
export function choosePolicy(policies: readonly SlaPolicy[], conversation: Pick<StoredConversation, 'senderId' | 'teamId'>): SlaPolicy | undefined {
  return (
    policies.find((p) => p.scope === 'sender' && p.scopeId === conversation.senderId) ??
    policies.find((p) => p.scope === 'team' && conversation.teamId !== null && p.scopeId === conversation.teamId) ??
    policies.find((p) => p.scope === 'default')
  );
}

/**
 * A batch of open (not resolved) conversations of workspaces that have an SLA policy, by id after
 * `afterId`: the SLA worker walks them in turns of `limit`.
 */
export async function openConversationsForSla<DB extends ConversationsTables>(db: ConversationsDb<DB>, afterId: string, limit: number): Promise<StoredConversation[]> {
  const rows = await tablesOf(db)
    .selectFrom('conversations')
    .selectAll()
    .where('state', '!=', 'resolved')
    .where('id', '>', afterId)
    .where('workspace_id', 'in', (eb) => eb.selectFrom('sla_policies').select('workspace_id'))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(fromRow);
}

export type SlaAlertRow = Selectable<SlaAlertsTable>;

export interface SlaAlert {
  conversationId: string;
  cycle: number;
  kind: SlaTargetKind;
  level: SlaLevel;
  workspaceId: string;
  teamId: string | null;
  policyId: string;
  targetMs: number;
  dueAt: number | null;
  at: number;
}

const alertFromRow = (r: SlaAlertRow): SlaAlert => ({
  conversationId: r.conversation_id,
  cycle: Number(r.cycle),
  kind: r.kind as SlaTargetKind,
  level: r.level as SlaLevel,
  workspaceId: r.workspace_id,
  teamId: r.team_id,
  policyId: r.policy_id,
  targetMs: Number(r.target_ms),
  dueAt: num(r.due_at),
  at: Number(r.at),
});

/** The alerts already recorded for a conversation's cycle. */
export async function cycleAlerts<DB extends ConversationsTables>(db: ConversationsDb<DB>, conversationId: string, cycle: number): Promise<SlaAlert[]> {
  const rows = await tablesOf(db).selectFrom('sla_alerts').selectAll().where('conversation_id', '=', conversationId).where('cycle', '=', cycle).execute();
  return rows.map(alertFromRow);
}

/** Records an alert once; false when it was already recorded. */
export async function insertAlert<DB extends ConversationsTables>(db: ConversationsDb<DB>, a: SlaAlert): Promise<boolean> {
  const result = await tablesOf(db)
    .insertInto('sla_alerts')
    .values({ conversation_id: a.conversationId, cycle: a.cycle, kind: a.kind, level: a.level, workspace_id: a.workspaceId, team_id: a.teamId, policy_id: a.policyId, target_ms: a.targetMs, due_at: a.dueAt, at: a.at })
    .onConflict((oc) => oc.columns(['conversation_id', 'cycle', 'kind', 'level']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** What a list of alerts is narrowed to. `open`: the alert's cycle is the conversation's current one and not resolved. */
export interface AlertListFilter {
  state: 'open' | 'closed' | 'all';
  level?: SlaLevel;
  kind?: SlaTargetKind;
  teamId?: string;
  teams: TeamFilter;
  /** Cursor: the alerts after this one in the list's order (newest first). */
  before?: Pick<SlaAlert, 'at' | 'conversationId' | 'cycle' | 'kind' | 'level'>;
  limit: number;
}

/** The workspace's alerts, newest first. */
export async function listAlerts<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, f: AlertListFilter): Promise<SlaAlert[]> {
  if (f.teams.kind === 'none') return [];
  let q = tablesOf(db)
    .selectFrom('sla_alerts')
    .innerJoin('conversations', 'conversations.id', 'sla_alerts.conversation_id')
    .selectAll('sla_alerts')
    .where('sla_alerts.workspace_id', '=', workspaceId);
  if (f.teams.kind === 'teams') q = q.where('sla_alerts.team_id', 'in', [...f.teams.teamIds]);
  if (f.teamId) q = q.where('sla_alerts.team_id', '=', f.teamId);
  if (f.level) q = q.where('sla_alerts.level', '=', f.level);
  if (f.kind) q = q.where('sla_alerts.kind', '=', f.kind);
  if (f.state === 'open') q = q.where((eb) => eb.and([eb('conversations.state', '!=', 'resolved'), eb('conversations.cycle', '=', eb.ref('sla_alerts.cycle'))]));
  if (f.state === 'closed') q = q.where((eb) => eb.or([eb('conversations.state', '=', 'resolved'), eb('conversations.cycle', '!=', eb.ref('sla_alerts.cycle'))]));
  if (f.before) {
    const b = f.before;
    q = q.where((eb) => eb(eb.refTuple('sla_alerts.at', 'sla_alerts.conversation_id', 'sla_alerts.cycle', 'sla_alerts.kind', 'sla_alerts.level'), '<', eb.tuple(b.at, b.conversationId, b.cycle, b.kind, b.level)));
  }
  const rows = await q
    .orderBy('sla_alerts.at', 'desc')
    .orderBy('sla_alerts.conversation_id', 'desc')
    .orderBy('sla_alerts.cycle', 'desc')
    .orderBy('sla_alerts.kind', 'desc')
    .orderBy('sla_alerts.level', 'desc')
    .limit(f.limit)
    .execute();
  return rows.map(alertFromRow);
}

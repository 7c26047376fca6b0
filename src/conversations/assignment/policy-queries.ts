import type { Kysely, Selectable } from 'kysely';
import { newId } from '../../shared/ids.js';
import type { AssignmentPoliciesTable, ConversationsTables } from '../tables.js';
import type { ConversationsDb } from '../conversation-store.js';
import { DEFAULT_TEAM_POLICY, type AssignmentMode, type QueueOrder, type TeamPolicy } from './policy.js';

/**
 * The `assignment_policies` rows. A sender's policy routes: the team its new conversations go to
 * (`team_id`); its mode and queue order are not read (stored as `manual`, `earliest_created`). A team's
 * policy says how the team's queue is served: mode, queue order, default capacity per agent.
 */
const tablesOf = <DB extends ConversationsTables>(db: ConversationsDb<DB>): Kysely<ConversationsTables> => db as unknown as Kysely<ConversationsTables>;

export const POLICY_SCOPES = ['sender', 'team'] as const;
export type PolicyScope = (typeof POLICY_SCOPES)[number];

export type StoredPolicy =
  | { scope: 'sender'; scopeId: string; teamId: string; updatedAt: number }
  | ({ scope: 'team'; scopeId: string; updatedAt: number } & TeamPolicy);

const fromRow = (r: Selectable<AssignmentPoliciesTable>): StoredPolicy =>
  r.scope === 'sender'
    ? { scope: 'sender', scopeId: r.scope_id, teamId: r.team_id ?? '', updatedAt: Number(r.updated_at) }
    : { scope: 'team', scopeId: r.scope_id, mode: r.mode as AssignmentMode, queueOrder: r.queue_order as QueueOrder, capacity: r.capacity === null ? null : Number(r.capacity), updatedAt: Number(r.updated_at) };

export async function listPolicies<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string): Promise<StoredPolicy[]> {
  const rows = await tablesOf(db).selectFrom('assignment_policies').selectAll().where('workspace_id', '=', workspaceId).orderBy('scope').orderBy('scope_id').execute();
  return rows.map(fromRow);
}

export async function getPolicy<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, scope: PolicyScope, scopeId: string): Promise<StoredPolicy | undefined> {
  const row = await tablesOf(db).selectFrom('assignment_policies').selectAll().where('workspace_id', '=', workspaceId).where('scope', '=', scope).where('scope_id', '=', scopeId).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** How the team's queue is served: its policy, or the default (manual). */
export async function teamPolicy<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, teamId: string): Promise<TeamPolicy> {
  const p = await getPolicy(db, workspaceId, 'team', teamId);
  return p?.scope === 'team' ? { mode: p.mode, queueOrder: p.queueOrder, capacity: p.capacity } : DEFAULT_TEAM_POLICY;
}

/** The team a sender's new conversations go to, or null. */
export async function senderTeam<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, senderId: string): Promise<string | null> {
  const p = await getPolicy(db, workspaceId, 'sender', senderId);
  return p?.scope === 'sender' ? p.teamId : null;
}

/** Writes a policy over the one of its scope (one per sender, one per team). */
export async function putPolicy<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, policy: StoredPolicy): Promise<void> {
  const values =
    policy.scope === 'sender'
      ? { team_id: policy.teamId, mode: 'manual', queue_order: 'earliest_created', capacity: null, updated_at: policy.updatedAt }
      : { team_id: null, mode: policy.mode, queue_order: policy.queueOrder, capacity: policy.capacity, updated_at: policy.updatedAt };
  await tablesOf(db)
    .insertInto('assignment_policies')
    .values({ id: newId('asp', policy.updatedAt), workspace_id: workspaceId, scope: policy.scope, scope_id: policy.scopeId, ...values })
    .onConflict((oc) => oc.columns(['workspace_id', 'scope', 'scope_id']).doUpdateSet(values))
    .execute();
}

/** Deletes a policy; whether there was one. */
export async function deletePolicy<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, scope: PolicyScope, scopeId: string): Promise<boolean> {
  const r = await tablesOf(db).deleteFrom('assignment_policies').where('workspace_id', '=', workspaceId).where('scope', '=', scope).where('scope_id', '=', scopeId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

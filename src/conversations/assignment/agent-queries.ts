import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DialectName } from '../../db/dialect.js';
import type { AgentsTable, ConversationsTables } from '../tables.js';
import type { ConversationsDb } from '../conversation-store.js';
import type { Presence } from './policy.js';

/**
 * The `agents` rows (presence, capacity, last automatic assignment) and the open load of users. A user
 * without a row is offline with the policy's capacity: a row is written the first time their presence
 * or capacity is set.
 */
const tablesOf = <DB extends ConversationsTables>(db: ConversationsDb<DB>): Kysely<ConversationsTables> => db as unknown as Kysely<ConversationsTables>;

export interface Agent {
  userId: string;
  presence: Presence;
  presenceAt: number | null;
  capacity: number | null;
  lastAssignedAt: number | null;
}

const fromRow = (r: Selectable<AgentsTable>): Agent => ({
  userId: r.user_id,
  presence: r.presence as Presence,
  presenceAt: Number(r.presence_at),
  capacity: r.capacity === null ? null : Number(r.capacity),
  lastAssignedAt: r.last_assigned_at === null ? null : Number(r.last_assigned_at),
});

/** What a user without a row is. */
export const absentAgent = (userId: string): Agent => ({ userId, presence: 'offline', presenceAt: null, capacity: null, lastAssignedAt: null });

/** The agents of the workspace among these users, by user id (absent ones: `absentAgent`). */
export async function agentsOf<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, userIds: readonly string[]): Promise<Map<string, Agent>> {
  const out = new Map<string, Agent>(userIds.map((id) => [id, absentAgent(id)]));
  if (userIds.length === 0) return out;
  const rows = await tablesOf(db).selectFrom('agents').selectAll().where('workspace_id', '=', workspaceId).where('user_id', 'in', [...userIds]).execute();
  for (const r of rows) out.set(r.user_id, fromRow(r));
  return out;
}

/** Sets a user's presence (writing their row if they have none). */
export async function setPresence<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, userId: string, presence: Presence, now: number): Promise<void> {
  await tablesOf(db)
    .insertInto('agents')
    .values({ user_id: userId, workspace_id: workspaceId, presence, presence_at: now, capacity: null, last_assigned_at: null })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ presence, presence_at: now }))
    .execute();
}

/** Sets a user's own capacity; null: the policy's. */
export async function setCapacity<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, userId: string, capacity: number | null, now: number): Promise<void> {
  await tablesOf(db)
    .insertInto('agents')
    .values({ user_id: userId, workspace_id: workspaceId, presence: 'offline', presence_at: now, capacity, last_assigned_at: null })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ capacity }))
    .execute();
}

/**
 * The agent's row, locked until the transaction ends (PostgreSQL; SQLite's writer holds the database):
 * assignments to one agent take turns, so each counts the load the one before it left.
 */
export async function lockAgent<DB extends ConversationsTables>(trx: Transaction<DB>, dialect: DialectName, workspaceId: string, userId: string): Promise<Agent | undefined> {
  const query = tablesOf(trx).selectFrom('agents').selectAll().where('user_id', '=', userId).where('workspace_id', '=', workspaceId);
  const row = await (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function markAssigned<DB extends ConversationsTables>(trx: ConversationsDb<DB>, userId: string, now: number): Promise<void> {
  await tablesOf(trx).updateTable('agents').set({ last_assigned_at: now }).where('user_id', '=', userId).execute();
}

/** How many conversations each user owns now (any state but resolved, which has no owner). */
export async function openLoads<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, userIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>(userIds.map((id) => [id, 0]));
  if (userIds.length === 0) return out;
  const rows = await tablesOf(db)
    .selectFrom('conversations')
    .select(['owner_user_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('owner_user_id', 'in', [...userIds])
    .where('owner_type', '=', 'user')
    .where('workspace_id', '=', workspaceId)
    .groupBy('owner_user_id')
    .execute();
  for (const r of rows) if (r.owner_user_id) out.set(r.owner_user_id, Number(r.n));
  return out;
}

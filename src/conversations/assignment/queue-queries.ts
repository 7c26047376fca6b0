import { sql, type Kysely } from 'kysely';
import type { ConversationsTables } from '../tables.js';
import type { ConversationsDb } from '../conversation-store.js';
import type { QueueOrder, WaitingConversation } from './policy.js';

/**
 * A team's queue: its waiting conversations (pending, owned by nobody: not the bot, not a person;
 * snoozed and escalated ones are in other states), served in the policy's order.
 */
const tablesOf = <DB extends ConversationsTables>(db: ConversationsDb<DB>): Kysely<ConversationsTables> => db as unknown as Kysely<ConversationsTables>;

/** The head of the team's queue in the policy's order, at most `limit` conversations. */
export async function waitingConversations<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, teamId: string, order: QueueOrder, limit: number): Promise<WaitingConversation[]> {
  let q = tablesOf(db)
    .selectFrom('conversations')
    .select(['id', 'team_id', 'last_user_id', 'created_at', 'waiting_since', 'cycle'])
    .where('workspace_id', '=', workspaceId)
    .where('state', '=', 'pending')
    .where('team_id', '=', teamId)
    .where('owner_type', '=', 'nobody');
  // Nothing unanswered (`waiting_since` null) goes last on both dialects.
  if (order === 'longest_waiting') q = q.orderBy(sql`waiting_since is null`).orderBy('waiting_since');
  const rows = await q.orderBy('created_at').orderBy('id').limit(limit).execute();
  const released = await releasedBy(db, rows.map((r) => ({ id: r.id, cycle: Number(r.cycle) })));
  return rows.map((r) => ({
    id: r.id,
    teamId: r.team_id,
    lastUserId: r.last_user_id,
    createdAt: Number(r.created_at),
    waitingSince: r.waiting_since === null ? null : Number(r.waiting_since),
    releasedBy: released.get(r.id) ?? null,
  }));
}

/** Every workspace's teams with a waiting conversation: what the sweep visits. */
export async function teamsWithWaiting<DB extends ConversationsTables>(db: ConversationsDb<DB>): Promise<Array<{ workspaceId: string; teamId: string }>> {
  const rows = await tablesOf(db)
    .selectFrom('conversations')
    .select(['workspace_id', 'team_id'])
    .distinct()
    .where('state', '=', 'pending')
    .where('owner_type', '=', 'nobody')
    .where('team_id', 'is not', null)
    .execute();
  return rows.map((r) => ({ workspaceId: r.workspace_id, teamId: r.team_id! }));
}

/** Who last released each conversation in its current cycle (from its history), by conversation id. */
async function releasedBy<DB extends ConversationsTables>(db: ConversationsDb<DB>, conversations: ReadonlyArray<{ id: string; cycle: number }>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (conversations.length === 0) return out;
  const cycles = new Map(conversations.map((c) => [c.id, c.cycle]));
  const rows = await tablesOf(db)
    .selectFrom('conversation_events')
    .select(['conversation_id', 'cycle', 'data'])
    .where('conversation_id', 'in', conversations.map((c) => c.id))
    .where('type', '=', 'conversation.released')
    .orderBy('seq')
    .execute();
  for (const r of rows) {
    if (Number(r.cycle) !== cycles.get(r.conversation_id)) continue;
    const userId = (JSON.parse(r.data) as { userId?: unknown }).userId;
    if (typeof userId === 'string') out.set(r.conversation_id, userId);
  }
  return out;
}

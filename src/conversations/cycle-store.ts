import type { Kysely, Selectable } from 'kysely';
import type { TeamFilter } from '../access/team-scope.js';
import type { ConversationsDb } from './conversation-store.js';
import type { ConversationCyclesTable, ConversationsTables } from './tables.js';

/** The resolved cycles' figures (`conversation_cycles`): written once per cycle, read by the metrics API. */
const tablesOf = <DB extends ConversationsTables>(db: ConversationsDb<DB>): Kysely<ConversationsTables> => db as unknown as Kysely<ConversationsTables>;

export type CycleRow = Selectable<ConversationCyclesTable>;

/** Records a cycle's figures; false when the cycle was already recorded (a redelivered resolution). */
export async function insertCycle<DB extends ConversationsTables>(db: ConversationsDb<DB>, row: CycleRow): Promise<boolean> {
  const result = await tablesOf(db).insertInto('conversation_cycles').values(row).onConflict((oc) => oc.columns(['conversation_id', 'cycle']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

const num = (v: number | null) => (v === null ? null : Number(v));

/** The cycles closed on the workspace-local days `fromDay`..`toDay` (inclusive), narrowed to teams. */
export async function closedCycles<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, f: { fromDay: string; toDay: string; teamId?: string; teams: TeamFilter }): Promise<CycleRow[]> {
  if (f.teams.kind === 'none') return [];
  let q = tablesOf(db).selectFrom('conversation_cycles').selectAll().where('workspace_id', '=', workspaceId).where('closed_day', '>=', f.fromDay).where('closed_day', '<=', f.toDay);
  if (f.teams.kind === 'teams') q = q.where('team_id', 'in', [...f.teams.teamIds]);
  if (f.teamId) q = q.where('team_id', '=', f.teamId);
  const rows = await q.orderBy('closed_day').orderBy('closed_at').execute();
  return rows.map((r) => ({
    ...r,
    cycle: Number(r.cycle),
    started_at: Number(r.started_at),
    closed_at: Number(r.closed_at),
    first_response_at: num(r.first_response_at),
    first_response_ms: num(r.first_response_ms),
    first_response_business_ms: num(r.first_response_business_ms),
    resolution_ms: Number(r.resolution_ms),
    resolution_business_ms: num(r.resolution_business_ms),
    bot_ms: Number(r.bot_ms),
    bot_business_ms: num(r.bot_business_ms),
    snoozed_ms: Number(r.snoozed_ms),
    snoozed_business_ms: num(r.snoozed_business_ms),
    recorded_at: Number(r.recorded_at),
  }));
}

/** Open (not resolved) conversations by state, across workspaces: the Prometheus gauge. */
export async function countOpenByState<DB extends ConversationsTables>(db: ConversationsDb<DB>): Promise<Array<{ state: string; n: number }>> {
  const rows = await tablesOf(db)
    .selectFrom('conversations')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('state', '!=', 'resolved')
    .groupBy('state')
    .execute();
  return rows.map((r) => ({ state: r.state, n: Number(r.n) }));
}

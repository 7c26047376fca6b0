import type { Kysely, Selectable } from 'kysely';
import type { ConversationsDb } from './conversation-store.js';
import type { SurveyKind } from './survey-settings.js';
import type { ConversationsTables, ConversationSurveysTable } from './tables.js';

/**
 * The `conversation_surveys` rows: one per conversation × cycle (a unique key, so a resolution handled
 * twice asks once), moved `pending` → `asked` | `skipped` | `failed`, `asked` → `answered`, then a
 * comment once. Each move is a conditional update: a replay finds nothing to change.
 */
const tablesOf = <DB extends ConversationsTables>(db: ConversationsDb<DB>): Kysely<ConversationsTables> => db as unknown as Kysely<ConversationsTables>;

export const SURVEY_STATES = ['pending', 'asked', 'answered', 'skipped', 'failed'] as const;
export type SurveyState = (typeof SURVEY_STATES)[number];
export const SURVEY_VIAS = ['interactive', 'text', 'template'] as const;
export type SurveyVia = (typeof SURVEY_VIAS)[number];

export interface StoredSurvey {
  id: string;
  workspaceId: string;
  conversationId: string;
  cycle: number;
  teamId: string | null;
  kind: SurveyKind;
  state: SurveyState;
  via: SurveyVia | null;
  messageId: string | null;
  askedAt: number | null;
  score: number | null;
  answeredAt: number | null;
  /** Sealed. */
  comment: string | null;
  commentedAt: number | null;
  reason: string | null;
  createdAt: number;
}

const num = (v: number | null): number | null => (v === null ? null : Number(v));

const fromRow = (r: Selectable<ConversationSurveysTable>): StoredSurvey => ({
  id: r.id,
  workspaceId: r.workspace_id,
  conversationId: r.conversation_id,
  cycle: Number(r.cycle),
  teamId: r.team_id,
  kind: r.kind as SurveyKind,
  state: r.state as SurveyState,
  via: r.via as SurveyVia | null,
  messageId: r.message_id,
  askedAt: num(r.asked_at),
  score: num(r.score),
  answeredAt: num(r.answered_at),
  comment: r.comment,
  commentedAt: num(r.commented_at),
  reason: r.reason,
  createdAt: Number(r.created_at),
});

/** The survey of a conversation's cycle, or undefined. */
export async function surveyOfCycle<DB extends ConversationsTables>(db: ConversationsDb<DB>, conversationId: string, cycle: number): Promise<StoredSurvey | undefined> {
  const row = await tablesOf(db).selectFrom('conversation_surveys').selectAll().where('conversation_id', '=', conversationId).where('cycle', '=', cycle).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** The cycle's survey, made `pending` if there is none yet (a second call finds the first's row). */
export async function claimSurvey<DB extends ConversationsTables>(
  db: ConversationsDb<DB>,
  input: { id: string; workspaceId: string; conversationId: string; cycle: number; teamId: string | null; kind: SurveyKind },
  now: number,
): Promise<StoredSurvey> {
  await tablesOf(db)
    .insertInto('conversation_surveys')
    .values({
      id: input.id, workspace_id: input.workspaceId, conversation_id: input.conversationId, cycle: input.cycle, team_id: input.teamId, kind: input.kind, state: 'pending',
      via: null, message_id: null, asked_at: null, score: null, answered_at: null, comment: null, commented_at: null, reason: null, created_at: now,
    })
    .onConflict((oc) => oc.columns(['conversation_id', 'cycle']).doNothing())
    .execute();
  return (await surveyOfCycle(db, input.conversationId, input.cycle))!;
}

/** A pending survey was asked (its message accepted), skipped or failed (with the reason). Returns whether it was still pending. */
export async function settleSurvey<DB extends ConversationsTables>(
  db: ConversationsDb<DB>,
  id: string,
  outcome: { state: 'asked'; via: SurveyVia; messageId: string; at: number } | { state: 'skipped' | 'failed'; reason: string; messageId: string | null; via: SurveyVia | null },
): Promise<boolean> {
  const set = outcome.state === 'asked'
    ? { state: 'asked', via: outcome.via, message_id: outcome.messageId, asked_at: outcome.at }
    : { state: outcome.state, reason: outcome.reason, message_id: outcome.messageId, via: outcome.via };
  const result = await tablesOf(db).updateTable('conversation_surveys').set(set).where('id', '=', id).where('state', '=', 'pending').executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The customer's score, once: only an asked survey takes it. */
export async function recordScore<DB extends ConversationsTables>(db: ConversationsDb<DB>, id: string, score: number, at: number): Promise<boolean> {
  const result = await tablesOf(db).updateTable('conversation_surveys').set({ state: 'answered', score, answered_at: at }).where('id', '=', id).where('state', '=', 'asked').executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The customer's comment after the score (sealed), once. */
export async function recordComment<DB extends ConversationsTables>(db: ConversationsDb<DB>, id: string, sealed: string, at: number): Promise<boolean> {
  const result = await tablesOf(db).updateTable('conversation_surveys').set({ comment: sealed, commented_at: at }).where('id', '=', id).where('state', '=', 'answered').where('comment', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A conversation's surveys, by cycle. */
export async function surveysOfConversation<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, conversationId: string): Promise<StoredSurvey[]> {
  const rows = await tablesOf(db).selectFrom('conversation_surveys').selectAll().where('workspace_id', '=', workspaceId).where('conversation_id', '=', conversationId).orderBy('cycle').execute();
  return rows.map(fromRow);
}

/** The scores answered in [from, to), narrowed to the teams of who asks. */
export async function answeredScores<DB extends ConversationsTables>(
  db: ConversationsDb<DB>,
  workspaceId: string,
  f: { from: number; to: number; teams: { kind: 'all' } | { kind: 'teams'; teamIds: readonly string[] } | { kind: 'none' } },
): Promise<Array<{ kind: string; score: number }>> {
  if (f.teams.kind === 'none' || (f.teams.kind === 'teams' && f.teams.teamIds.length === 0)) return [];
  let q = tablesOf(db)
    .selectFrom('conversation_surveys')
    .select(['kind', 'score'])
    .where('workspace_id', '=', workspaceId)
    .where('state', '=', 'answered')
    .where('answered_at', '>=', f.from)
    .where('answered_at', '<', f.to);
  if (f.teams.kind === 'teams') q = q.where('team_id', 'in', [...f.teams.teamIds]);
  const rows = await q.execute();
  return rows.map((r) => ({ kind: r.kind, score: Number(r.score) }));
}

import type { Expression, Kysely, Selectable, SqlBool, Transaction } from 'kysely';
import type { DialectName } from '../db/dialect.js';
import type { Conversation, ConversationActor, ConversationChange, ConversationState, Owner } from './state-machine.js';
import type { ConversationsTable, ConversationsTables } from './tables.js';

/**
 * The conversation rows and their event log: reading a row as the state machine sees it, locking it,
 * writing the machine's result, and appending events to the workspace's sequence. Functions take the
 * caller's handle or transaction; see `window-queries.ts` for why the handle is typed by this module's
 * tables only.
 */
export type ConversationsDb<DB extends ConversationsTables = ConversationsTables> = Kysely<DB> | Transaction<DB>;
const tablesOf = <DB extends ConversationsTables>(db: ConversationsDb<DB>): Kysely<ConversationsTables> => db as unknown as Kysely<ConversationsTables>;

export type ConversationRow = Selectable<ConversationsTable>;

/** A conversation as stored, with its identity. */
export interface StoredConversation extends Conversation {
  id: string;
  workspaceId: string;
  senderId: string;
  contactId: string;
  current: boolean;
  lastActivityAt: number;
  endedAt: number | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export const currentKey = (senderId: string, contactId: string) => `${senderId}:${contactId}`;

const ownerOf = (row: ConversationRow): Owner =>
  row.owner_type === 'user' && row.owner_user_id ? { type: 'user', userId: row.owner_user_id } : row.owner_type === 'bot' ? { type: 'bot' } : { type: 'nobody' };

const num = (v: number | null): number | null => (v === null ? null : Number(v));

export function fromRow(row: ConversationRow): StoredConversation {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    senderId: row.sender_id,
    contactId: row.contact_id,
    current: row.current_key !== null,
    state: row.state as ConversationState,
    owner: ownerOf(row),
    teamId: row.team_id,
    resumeState: row.resume_state as Conversation['resumeState'],
    snoozedUntil: num(row.snoozed_until),
    escalationReason: row.escalation_reason,
    lastUserId: row.last_user_id,
    cycle: Number(row.cycle),
    cycleStartedAt: Number(row.cycle_started_at),
    humanSince: num(row.human_since),
    firstResponseAt: num(row.first_response_at),
    waitingSince: num(row.waiting_since),
    lastInboundAt: num(row.last_inbound_at),
    lastActivityAt: Number(row.last_activity_at),
    resolvedAt: num(row.resolved_at),
    endedAt: num(row.ended_at),
    version: Number(row.version),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** The columns the state machine's fields are stored in. */
export function machineColumns(c: Conversation) {
  return {
    state: c.state,
    resume_state: c.resumeState,
    snoozed_until: c.snoozedUntil,
    owner_type: c.owner.type,
    owner_user_id: c.owner.type === 'user' ? c.owner.userId : null,
    last_user_id: c.lastUserId,
    team_id: c.teamId,
    escalation_reason: c.escalationReason,
    cycle: c.cycle,
    cycle_started_at: c.cycleStartedAt,
    human_since: c.humanSince,
    first_response_at: c.firstResponseAt,
    waiting_since: c.waitingSince,
    last_inbound_at: c.lastInboundAt,
    resolved_at: c.resolvedAt,
  };
}

/** One conversation of the workspace, or undefined. */
export async function getConversation<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, id: string): Promise<StoredConversation | undefined> {
  const row = await tablesOf(db).selectFrom('conversations').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** One conversation, locked until the transaction ends (PostgreSQL; SQLite's writer holds the database). */
export async function lockConversation<DB extends ConversationsTables>(trx: Transaction<DB>, dialect: DialectName, workspaceId: string, id: string): Promise<StoredConversation | undefined> {
  const query = tablesOf(trx).selectFrom('conversations').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId);
  const row = await (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** The contact's current conversation with the sender, locked, or undefined. */
export async function lockCurrent<DB extends ConversationsTables>(trx: Transaction<DB>, dialect: DialectName, senderId: string, contactId: string): Promise<StoredConversation | undefined> {
  const query = tablesOf(trx).selectFrom('conversations').selectAll().where('current_key', '=', currentKey(senderId, contactId));
  const row = await (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** Writes the machine's result over a locked row, bumping its version. */
export async function saveConversation<DB extends ConversationsTables>(trx: ConversationsDb<DB>, before: StoredConversation, next: Conversation, now: number): Promise<void> {
  await tablesOf(trx)
    .updateTable('conversations')
    .set({ ...machineColumns(next), last_activity_at: now, version: before.version + 1, updated_at: now })
    .where('id', '=', before.id)
    .execute();
}

/** The conversation stops being current (its reopen period is over, or a new one takes its place). */
export async function endConversation<DB extends ConversationsTables>(trx: ConversationsDb<DB>, id: string, now: number): Promise<void> {
  await tablesOf(trx).updateTable('conversations').set({ current_key: null, ended_at: now, updated_at: now }).where('id', '=', id).execute();
}

export interface NewConversation {
  id: string;
  workspaceId: string;
  senderId: string;
  contactId: string;
  conversation: Conversation;
}

export async function insertConversation<DB extends ConversationsTables>(trx: ConversationsDb<DB>, input: NewConversation, now: number): Promise<StoredConversation> {
  const row: ConversationRow = {
    id: input.id,
    workspace_id: input.workspaceId,
    sender_id: input.senderId,
    contact_id: input.contactId,
    current_key: currentKey(input.senderId, input.contactId),
    ...machineColumns(input.conversation),
    last_activity_at: now,
    ended_at: null,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  await tablesOf(trx).insertInto('conversations').values(row).execute();
  return fromRow(row);
}

/** An event about to be appended. */
export interface NewConversationEvent {
  conversationId: string;
  teamId: string | null;
  cycle: number;
  actor: ConversationActor;
  change: ConversationChange;
  /** Applied once: a second event of the same type and cause for the conversation is not appended. */
  cause?: string;
  at: number;
}

/** A stored conversation event. */
export interface ConversationEvent {
  seq: number;
  workspaceId: string;
  conversationId: string;
  teamId: string | null;
  type: string;
  actor: string;
  reason: string | null;
  cycle: number;
  data: Record<string, unknown>;
  at: number;
}

/**
 * Takes `count` numbers of the workspace's event sequence (conversation events and stream notices share
 * it) and returns the first. One statement: the workspace's first event creates its head, later ones move
 * it on. The head row stays locked until the transaction ends, so the workspace's writers commit in order.
 */
export async function takeSeqs<DB extends ConversationsTables>(trx: ConversationsDb<DB>, workspaceId: string, count: number): Promise<number> {
  const head = await tablesOf(trx)
    .insertInto('conversation_heads')
    .values({ workspace_id: workspaceId, seq: count })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet((eb) => ({ seq: eb('conversation_heads.seq', '+', eb.ref('excluded.seq')) })))
    .returning('seq')
    .executeTakeFirstOrThrow();
  return Number(head.seq) - count + 1;
}

/**
 * Appends events to the workspace's sequence. The head row is updated first, which locks it until the
 * transaction ends: writers of one workspace commit one after another, so a reader that has seen seq
 * N never later finds an event below N committed (what makes the stream resumable by `Last-Event-ID`).
 */
export async function appendEvents<DB extends ConversationsTables>(trx: Transaction<DB>, workspaceId: string, events: readonly NewConversationEvent[]): Promise<ConversationEvent[]> {
  if (events.length === 0) return [];
  const db = tablesOf(trx);
  const first = await takeSeqs(trx, workspaceId, events.length);
  const stored = events.map((e, i): ConversationEvent => ({
    seq: first + i,
    workspaceId,
    conversationId: e.conversationId,
    teamId: e.teamId,
    type: e.change.type,
    actor: e.actor,
    reason: e.change.reason ?? null,
    cycle: e.cycle,
    data: e.change.data ?? {},
    at: e.at,
  }));
  await db
    .insertInto('conversation_events')
    .values(stored.map((e, i) => ({ workspace_id: workspaceId, seq: e.seq, conversation_id: e.conversationId, team_id: e.teamId, type: e.type, actor: e.actor, reason: e.reason, cycle: e.cycle, cause: events[i]!.cause ?? null, data: JSON.stringify(e.data), at: e.at })))
    .execute();
  return stored;
}

/** Whether an event of this type with this cause was already recorded for the conversation. */
/** Which of `causes` the conversation already recorded an event of this type for (`causeSeen` for many). */
export async function causesSeen<DB extends ConversationsTables>(db: ConversationsDb<DB>, conversationId: string, type: string, causes: readonly string[]): Promise<Set<string>> {
  if (causes.length === 0) return new Set();
  const rows = await tablesOf(db).selectFrom('conversation_events').select('cause').where('conversation_id', '=', conversationId).where('type', '=', type).where('cause', 'in', [...causes]).execute();
  return new Set(rows.flatMap((r) => (r.cause === null ? [] : [r.cause])));
}

export async function causeSeen<DB extends ConversationsTables>(db: ConversationsDb<DB>, conversationId: string, type: string, cause: string): Promise<boolean> {
  const row = await tablesOf(db).selectFrom('conversation_events').select('seq').where('conversation_id', '=', conversationId).where('type', '=', type).where('cause', '=', cause).executeTakeFirst();
  return row !== undefined;
}

const eventFromRow = (r: { workspace_id: string; seq: number; conversation_id: string; team_id: string | null; type: string; actor: string; reason: string | null; cycle: number; data: string; at: number }): ConversationEvent => ({
  seq: Number(r.seq),
  workspaceId: r.workspace_id,
  conversationId: r.conversation_id,
  teamId: r.team_id,
  type: r.type,
  actor: r.actor,
  reason: r.reason,
  cycle: Number(r.cycle),
  data: JSON.parse(r.data) as Record<string, unknown>,
  at: Number(r.at),
});

/** A conversation's events in order, from `afterSeq` (exclusive). */
export async function conversationEvents<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, conversationId: string, afterSeq = 0, limit = 200): Promise<ConversationEvent[]> {
  const rows = await tablesOf(db)
    .selectFrom('conversation_events')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('conversation_id', '=', conversationId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(eventFromRow);
}

/** The events of one cycle of a conversation, in order (a cycle's events stay within a few hundred). */
export async function cycleEvents<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, conversationId: string, cycle: number): Promise<ConversationEvent[]> {
  const rows = await tablesOf(db).selectFrom('conversation_events').selectAll().where('workspace_id', '=', workspaceId).where('conversation_id', '=', conversationId).where('cycle', '=', cycle).orderBy('seq').execute();
  return rows.map(eventFromRow);
}

/** The workspace's events after `afterSeq`, in order: what the live stream sends. */
export async function workspaceEvents<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, afterSeq: number, limit: number): Promise<ConversationEvent[]> {
  const rows = await tablesOf(db).selectFrom('conversation_events').selectAll().where('workspace_id', '=', workspaceId).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
  return rows.map(eventFromRow);
}

/** What a list of conversations is narrowed to. `teams`: the team filter of who asks (`access/team-scope.ts`). */
export interface ConversationListFilter {
  state?: string;
  ownerUserId?: string;
  /** Only conversations whose owner is of this type (`nobody`: unassigned). */
  ownerType?: string;
  teamId?: string;
  /** Only conversations of one of these teams (a person's own teams). */
  teamIds?: readonly string[];
  contactId?: string;
  /** Only conversations with this label. */
  label?: string;
  /** Only conversations this condition on `conversations` holds for (a text search: `search/match.ts`). */
  matching?: Expression<SqlBool>;
  teams: { kind: 'all' } | { kind: 'teams'; teamIds: readonly string[] } | { kind: 'none' };
  /** Cursor: list conversations with an id before this one (newest first). */
  before?: string;
  limit: number;
}

/** The workspace's conversations, newest first. */
export async function listConversations<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, f: ConversationListFilter): Promise<StoredConversation[]> {
  if (f.teams.kind === 'none') return [];
  let q = tablesOf(db).selectFrom('conversations').selectAll().where('workspace_id', '=', workspaceId);
  if (f.teams.kind === 'teams') q = q.where('team_id', 'in', [...f.teams.teamIds]);
  if (f.state) q = q.where('state', '=', f.state);
  if (f.ownerUserId) q = q.where('owner_user_id', '=', f.ownerUserId);
  if (f.ownerType) q = q.where('owner_type', '=', f.ownerType);
  if (f.teamId) q = q.where('team_id', '=', f.teamId);
  if (f.teamIds) {
    if (f.teamIds.length === 0) return [];
    q = q.where('team_id', 'in', [...f.teamIds]);
  }
  if (f.contactId) q = q.where('contact_id', '=', f.contactId);
  if (f.label) {
    const label = f.label;
    q = q.where(({ exists, selectFrom }) => exists(selectFrom('conversation_labels').select('conversation_labels.label').whereRef('conversation_labels.conversation_id', '=', 'conversations.id').where('conversation_labels.label', '=', label)));
  }
  if (f.matching) q = q.where(f.matching);
  if (f.before) q = q.where('id', '<', f.before);
  const rows = await q.orderBy('id', 'desc').limit(f.limit).execute();
  return rows.map(fromRow);
}

/**
 * Some contacts' conversations, newest opened first, before `before` (a page of their timeline,
 * `privacy/contact-timeline.ts`): opened strictly before `at`, at or before it (`tie: true`), or, at `at`
 * itself, with an id below `tie`. `teams`: the team filter of who asks, as for a list.
 */
export async function contactConversationsBefore<DB extends ConversationsTables>(
  db: ConversationsDb<DB>,
  workspaceId: string,
  contactIds: readonly string[],
  teams: ConversationListFilter['teams'],
  before: { at: number; tie: boolean | string } | undefined,
  limit: number,
): Promise<StoredConversation[]> {
  if (contactIds.length === 0 || teams.kind === 'none') return [];
  let q = tablesOf(db).selectFrom('conversations').selectAll().where('workspace_id', '=', workspaceId).where('contact_id', 'in', [...contactIds]);
  if (teams.kind === 'teams') q = q.where('team_id', 'in', [...teams.teamIds]);
  if (before) {
    const { at, tie } = before;
    if (typeof tie === 'string') q = q.where((eb) => eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', tie)])]));
    else q = q.where('created_at', tie ? '<=' : '<', at);
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(fromRow);
}

/** Snoozed conversations whose time has come, oldest first. */
export async function dueSnoozes<DB extends ConversationsTables>(db: ConversationsDb<DB>, now: number, limit: number): Promise<Array<{ id: string; workspaceId: string }>> {
  const rows = await tablesOf(db).selectFrom('conversations').select(['id', 'workspace_id']).where('state', '=', 'snoozed').where('snoozed_until', '<=', now).orderBy('snoozed_until').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, workspaceId: r.workspace_id }));
}

/**
 * A contact merge, inside its transaction: the merged contact's conversations become the survivor's.
 * Where both have a current conversation with the same sender, the survivor's stays current and the
 * merged one ends (its history kept). Returns how many conversations moved.
 */
export async function moveConversationsOnMerge<DB extends ConversationsTables>(trx: ConversationsDb<DB>, survivorId: string, mergedId: string, now: number): Promise<number> {
  const db = tablesOf(trx);
  const theirs = await db.selectFrom('conversations').select(['id', 'sender_id', 'current_key']).where('contact_id', '=', mergedId).execute();
  if (theirs.length === 0) return 0;
  const survivorCurrent = new Set(
    (await db.selectFrom('conversations').select('sender_id').where('contact_id', '=', survivorId).where('current_key', 'is not', null).execute()).map((r) => r.sender_id),
  );
  for (const c of theirs) {
    const keepCurrent = c.current_key !== null && !survivorCurrent.has(c.sender_id);
    await db
      .updateTable('conversations')
      .set({ contact_id: survivorId, current_key: keepCurrent ? currentKey(c.sender_id, survivorId) : null, ...(c.current_key !== null && !keepCurrent ? { ended_at: now } : {}), updated_at: now })
      .where('id', '=', c.id)
      .execute();
  }
  return theirs.length;
}

/**
 * The workspace's last committed seq (0 before its first event). The head row is written in the same
 * transaction as its events, so every event up to the committed head is readable: a stream that starts
 * here misses nothing that commits later.
 */
export async function workspaceHead<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string): Promise<number> {
  const row = await tablesOf(db).selectFrom('conversation_heads').select('seq').where('workspace_id', '=', workspaceId).executeTakeFirst();
  return row ? Number(row.seq) : 0;
}

import type { Selectable, Transaction } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { DialectName } from '../db/dialect.js';
import type { Keyring } from '../crypto/keyring.js';
import type { BotEffect, BotSession } from './engine.js';
import type { BotSessionsTable } from './tables.js';
import { BoundedCache } from '../shared/bounded-cache.js';

/** Where a run of a flow stands (`bot_sessions.status`). */
export type BotRunStatus = 'active' | 'waiting_webhook' | 'handed_off' | 'resolved' | 'stopped';

/** An effect of a step, keyed so that carrying it out twice does it once (a send's idempotency key). */
export interface PendingEffect {
  key: string;
  effect: BotEffect;
}

/** The sealed part of a run: the engine's session and the customer messages already answered. */
export interface RunState {
  engine: BotSession;
  /** The ids of the last customer messages stepped: a message handled twice is answered once. */
  seen: string[];
}

export interface BotRun {
  id: string;
  workspaceId: string;
  conversationId: string;
  cycle: number;
  flowId: string;
  flowVersion: number;
  status: BotRunStatus;
  state: RunState;
  pending: PendingEffect[];
  steps: number;
  handoffReason: string | null;
  misunderstandings: number;
  missedByNode: Record<string, number>;
  turnsByNode: Record<string, number>;
  webhookFailures: number;
  startedAt: number;
  updatedAt: number;
}

const SEEN_KEPT = 20;

/**
 * `bot_sessions.state` of a run whose contact was erased (`erasure.ts`): nothing sealed is left. It
 * opens as a run that ended where it stood, with nothing collected.
 */
export const ERASED_RUN_STATE = '';
const erasedState = (): RunState => ({ engine: { node: '', vars: {}, misunderstandings: 0, retries: 0, status: 'ended', missedAt: {} }, seen: [] });

/** Adds a message id to the answered ones (the last few are enough: redeliveries come soon). */
export const withSeen = (state: RunState, messageId: string): RunState => ({ ...state, seen: [...state.seen.filter((id) => id !== messageId), messageId].slice(-SEEN_KEPT) });

async function open(keyring: Keyring, row: Selectable<BotSessionsTable>): Promise<BotRun> {
  const ws = row.workspace_id;
  return {
    id: row.id,
    workspaceId: ws,
    conversationId: row.conversation_id,
    cycle: Number(row.cycle),
    flowId: row.flow_id,
    flowVersion: Number(row.flow_version),
    status: row.status as BotRunStatus,
    state: row.state === ERASED_RUN_STATE ? erasedState() : (JSON.parse(await keyring.decrypt(ws, row.state)) as RunState),
    pending: row.pending ? (JSON.parse(await keyring.decrypt(ws, row.pending)) as PendingEffect[]) : [],
    steps: Number(row.steps),
    handoffReason: row.handoff_reason,
    misunderstandings: Number(row.misunderstandings),
    missedByNode: JSON.parse(row.missed_by_node) as Record<string, number>,
    turnsByNode: JSON.parse(row.turns_by_node) as Record<string, number>,
    webhookFailures: Number(row.webhook_failures),
    startedAt: Number(row.started_at),
    updatedAt: Number(row.updated_at),
  };
}

async function toRow(keyring: Keyring, run: BotRun, now: number) {
  return {
    status: run.status,
    state: await keyring.encrypt(run.workspaceId, JSON.stringify(run.state)),
    pending: run.pending.length ? await keyring.encrypt(run.workspaceId, JSON.stringify(run.pending)) : null,
    steps: run.steps,
    handoff_reason: run.handoffReason,
    misunderstandings: run.misunderstandings,
    missed_by_node: JSON.stringify(run.missedByNode),
    turns_by_node: JSON.stringify(run.turnsByNode),
    webhook_failures: run.webhookFailures,
    updated_at: now,
    ended_at: run.status === 'active' || run.status === 'waiting_webhook' ? null : now,
  };
}

export async function insertRun(trx: Transaction<Database>, keyring: Keyring, run: BotRun, now: number): Promise<void> {
  await trx
    .insertInto('bot_sessions')
    .values({ id: run.id, workspace_id: run.workspaceId, conversation_id: run.conversationId, cycle: run.cycle, flow_id: run.flowId, flow_version: run.flowVersion, started_at: run.startedAt, ...(await toRow(keyring, run, now)) })
    .execute();
}

/** Saves a run changed under its lock (`lockRun`). */
export async function saveRun(trx: Transaction<Database>, keyring: Keyring, run: BotRun, now: number): Promise<void> {
  await trx.updateTable('bot_sessions').set(await toRow(keyring, run, now)).where('id', '=', run.id).execute();
}

/** Replaces a run with a new one from the start (a person handed the conversation back), keeping its id and measures. */
export async function restartRun(trx: Transaction<Database>, keyring: Keyring, run: BotRun, now: number): Promise<void> {
  await trx.updateTable('bot_sessions').set({ flow_id: run.flowId, flow_version: run.flowVersion, ...(await toRow(keyring, run, now)) }).where('id', '=', run.id).execute();
}

/** The run of a conversation's cycle, locked until the transaction ends (PostgreSQL; SQLite's writer holds the database). */
export async function lockRun(trx: Transaction<Database>, keyring: Keyring, dialect: DialectName, conversationId: string, cycle: number): Promise<BotRun | undefined> {
  const query = trx.selectFrom('bot_sessions').selectAll().where('conversation_id', '=', conversationId).where('cycle', '=', cycle);
  const row = await (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
  return row ? open(keyring, row) : undefined;
}

export async function findRun(db: Db, keyring: Keyring, id: string): Promise<BotRun | undefined> {
  const row = await db.selectFrom('bot_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? open(keyring, row) : undefined;
}

// A conversation's cycle has at most one run, never deleted while the conversation lives: a run found
// is remembered (a miss is not: the run may start a moment later). Only its id: a hand-back restarts
// the run on the flow's current version.
const runIds = new BoundedCache<string, Promise<string | undefined>>(10_000);

/** The id of a conversation's cycle's run (ended or not), or undefined. */
export function runIdOf(db: Db, conversationId: string, cycle: number): Promise<string | undefined> {
  const key = `${conversationId}:${cycle}`;
  return runIds
    .through(key, async () => (await db.selectFrom('bot_sessions').select('id').where('conversation_id', '=', conversationId).where('cycle', '=', cycle).executeTakeFirst())?.id)
    .then((found) => {
      if (!found) runIds.delete(key);
      return found;
    });
}

/** Marks the effects of steps up to `steps` carried out, unless a later step came meanwhile. */
export async function clearPending(db: Db, id: string, steps: number, now: number): Promise<void> {
  await db.updateTable('bot_sessions').set({ pending: null, updated_at: now }).where('id', '=', id).where('steps', '=', steps).execute();
}

/** Runs whose effects have waited longer than `before` (a crash, a process stopped mid-way), oldest first. */
export async function runsWithPending(db: Db, before: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('bot_sessions')
    .select('id')
    .where('status', 'in', ['active', 'waiting_webhook', 'handed_off', 'resolved'])
    .where('updated_at', '<', before)
    .where('pending', 'is not', null)
    .orderBy('updated_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Ends the run of a cycle a person resolved while the bot still ran it (its measures count it neither contained nor handed off). */
export async function stopRun(db: Db, conversationId: string, cycle: number, now: number): Promise<void> {
  await db.updateTable('bot_sessions').set({ status: 'stopped', pending: null, updated_at: now, ended_at: now }).where('conversation_id', '=', conversationId).where('cycle', '=', cycle).where('status', 'in', ['active', 'waiting_webhook']).execute();
}

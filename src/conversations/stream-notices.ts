import type { Permission } from '../access/permissions.js';
import type { Db } from '../db/database.js';
import type { InTransactionSubscriber } from '../domain-events/bus.js';
import { DAY } from '../shared/time.js';
import { takeSeqs, type ConversationsDb } from './conversation-store.js';
import type { ConversationsTables } from './tables.js';

/**
 * Stream notices: facts of a workspace that are not a conversation's, carried by the live stream
 * beside the conversation events and numbered in the same sequence (so `Last-Event-ID` resumes both).
 * Each names the permission its receiver must hold. Today one kind: `template.changed`, for the
 * console's templates pages (a template's provider status or quality changed).
 */
export interface StreamNotice {
  seq: number;
  workspaceId: string;
  type: string;
  permission: Permission;
  data: Record<string, unknown>;
  at: number;
}

/** How long a notice is kept: far longer than any stream takes to resume. */
export const NOTICE_RETENTION_MS = 7 * DAY;

const tablesOf = <DB extends ConversationsTables>(db: ConversationsDb<DB>) => db as unknown as ConversationsDb<ConversationsTables>;

/** Appends a notice to the workspace's sequence in the caller's transaction; notices past their retention go. */
export async function appendNotice<DB extends ConversationsTables>(trx: ConversationsDb<DB>, workspaceId: string, notice: Omit<StreamNotice, 'seq' | 'workspaceId'>, now: number): Promise<StreamNotice> {
  const seq = await takeSeqs(trx, workspaceId, 1);
  const db = tablesOf(trx);
  await db.insertInto('stream_notices').values({ workspace_id: workspaceId, seq, type: notice.type, permission: notice.permission, data: JSON.stringify(notice.data), at: notice.at }).execute();
  await db.deleteFrom('stream_notices').where('workspace_id', '=', workspaceId).where('at', '<', now - NOTICE_RETENTION_MS).execute();
  return { seq, workspaceId, ...notice };
}

/** The workspace's notices after `afterSeq`, in order, at most `limit`. */
export async function workspaceNotices<DB extends ConversationsTables>(db: ConversationsDb<DB>, workspaceId: string, afterSeq: number, limit: number): Promise<StreamNotice[]> {
  const rows = await tablesOf(db).selectFrom('stream_notices').selectAll().where('workspace_id', '=', workspaceId).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({ seq: Number(r.seq), workspaceId: r.workspace_id, type: r.type, permission: r.permission as Permission, data: JSON.parse(r.data) as Record<string, unknown>, at: Number(r.at) }));
}

/**
 * The domain events the stream carries as notices, in the publishing transaction: the notice commits with
 * the fact. `template.changed` reaches the streams of principals who may read templates.
 */
export const streamNoticeSubscriber: InTransactionSubscriber<Db> = async (tx, event, now) => {
  if (event.type !== 'template.changed') return;
  await appendNotice(
    tx as unknown as ConversationsDb<ConversationsTables>,
    event.workspaceId,
    { type: 'template.changed', permission: 'templates.read', data: { templateId: event.templateId, providerStatus: event.providerStatus, quality: event.quality, at: new Date(event.at).toISOString() }, at: event.at },
    now,
  );
};

import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import { listMessageEvents, type MessageEvent } from './message-events.js';
import { openProviderId } from './provider-ids.js';
import type { MessagesTable } from './tables.js';

/** A message's stored content, decrypted (null when it has none, e.g. after erasure). */
export async function decryptContent(keyring: Keyring, workspaceId: string, cipher: string | null): Promise<Record<string, unknown> | null> {
  return cipher ? (JSON.parse(await keyring.decrypt(workspaceId, cipher)) as Record<string, unknown>) : null;
}

/** A message's content alone, decrypted (null: no such message, or no content, e.g. after erasure). */
export async function messageContent(db: Db, keyring: Keyring, workspaceId: string, id: string): Promise<Record<string, unknown> | null> {
  const row = await db.selectFrom('messages').select('content').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row ? decryptContent(keyring, workspaceId, row.content) : null;
}

/** One stored message: its row, the provider's id opened, its content decrypted (unless `content: false`) and its history. */
/** A message row as `messages/` reads it. */
export type MessageRecord = Selectable<MessagesTable>;

export interface StoredMessage {
  row: MessageRecord;
  providerMessageId: string | null;
  content: Record<string, unknown> | null;
  history: MessageEvent[];
}

/** One message of the workspace with its whole history, or undefined. */
export async function findMessage(db: Db, keyring: Keyring, workspaceId: string, id: string, options: { content?: boolean } = {}): Promise<StoredMessage | undefined> {
  const row = await db.selectFrom('messages').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const content = options.content === false ? null : await decryptContent(keyring, workspaceId, row.content);
  // The accept event stores the answer given at accept; in the history it reads as the accept-time decision.
  const history = (await listMessageEvents(db, id)).map((e) =>
    e.kind === 'accept' ? { ...e, kind: 'decision', status: null, detail: { stage: 'accept', gates: (e.detail as { decisions?: unknown }).decisions ?? [] } } : e,
  );
  return { row, providerMessageId: await openProviderId(keyring, workspaceId, row.provider_id_sealed), content, history };
}

export interface MessageListFilter {
  status?: MessagesTable['status'];
  contactId?: string;
  direction?: 'inbound' | 'outbound';
  /** Cursor: ids below this one. */
  before?: string;
  limit: number;
  /** With each message's decrypted content. */
  content: boolean;
}

/**
 * A page of the workspace's messages, newest first: their rows, with `content` their decrypted contents
 * in the same order, and the cursor of the next page (null on the last).
 */
export async function listMessages(db: Db, keyring: Keyring, workspaceId: string, q: MessageListFilter) {
  let query = db
    .selectFrom('messages')
    .select(['id', 'direction', 'status', 'lane', 'type', 'contact_id', 'sender_id', 'reply_to', 'created_at', 'status_at'])
    .$if(q.content, (qb) => qb.select('content'))
    .where('workspace_id', '=', workspaceId);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.contactId) query = query.where('contact_id', '=', q.contactId);
  if (q.direction) query = query.where('direction', '=', q.direction);
  if (q.before) query = query.where('id', '<', q.before);
  const rows = await query.orderBy('id', 'desc').limit(q.limit + 1).execute();
  const page = rows.slice(0, q.limit);
  // Content is decrypted per row (the workspace's data keys are cached, so this costs no queries).
  const contents = q.content ? await Promise.all(page.map((r) => decryptContent(keyring, workspaceId, (r as { content?: string | null }).content ?? null))) : undefined;
  return { rows: page, contents, nextCursor: rows.length > q.limit ? page.at(-1)!.id : null };
}

/** How many send attempts each of the messages `ids` took. */
export async function messageAttempts(db: Db, ids: readonly string[]): Promise<Map<string, number>> {
  const rows = await db.selectFrom('messages').select(['id', 'attempts']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.attempts]));
}

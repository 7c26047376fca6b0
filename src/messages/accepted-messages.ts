import type { Db } from '../db/database.js';
import type { NewMessageRow } from './message-row.js';

/**
 * The outbox rows of accepted messages and their `accept` events, which hold the answer the caller
 * was given (a replay with the same idempotency key returns it as it was).
 */

/** One accepted message: its row and the answer stored as its `accept` event. */
export interface AcceptedMessage {
  message: NewMessageRow;
  view: object;
}

/** Inserts the messages, then their `accept` events, on `db` (the caller's transaction). */
export async function insertAcceptedMessages(db: Db, items: readonly AcceptedMessage[]): Promise<void> {
  await db.insertInto('messages').values(items.map((i) => i.message)).execute();
  await db
    .insertInto('message_events')
    .values(items.map((i) => ({ message_id: i.message.id, kind: 'accept', status: i.message.status, at: i.message.created_at, detail: JSON.stringify(i.view) })))
    .execute();
}

/** The message a workspace accepted with an idempotency key, with the hash of that request. */
export async function messageOfIdempotencyKey(db: Db, workspaceId: string, key: string): Promise<{ id: string; request_hash: string | null } | undefined> {
  return db.selectFrom('messages').select(['id', 'request_hash']).where('workspace_id', '=', workspaceId).where('idempotency_key', '=', key).executeTakeFirst();
}

/** The answer stored with a message's `accept` event (JSON), if it has one. */
export async function acceptAnswerOf(db: Db, messageId: string): Promise<string | undefined> {
  const event = await db.selectFrom('message_events').select('detail').where('message_id', '=', messageId).where('kind', '=', 'accept').executeTakeFirst();
  return event?.detail;
}

import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import { decryptContent } from './read-message.js';

/** One message of a conversation's timeline. */
export interface ConversationMessage {
  id: string;
  direction: 'inbound' | 'outbound';
  type: string;
  status: string;
  lane: string | null;
  templateName: string | null;
  templateLanguage: string | null;
  /** Who wrote an outbound reply (`user:<id>`, `key:<id>`), from the message's metadata; null otherwise. */
  author: string | null;
  createdAt: number;
  statusAt: number;
  /** Why a message failed, was refused or expired: the provider's or Parley's code and its words; null otherwise. */
  error: { code: string | null; message: string | null } | null;
  /** The decrypted content, or null (not asked for, or erased). */
  content: Record<string, unknown> | null;
}

/**
 * The messages between one sender and one contact from `from` (inclusive) until `until` (exclusive;
 * null: up to now), oldest first: a conversation's timeline (`conversations/`). `openedBy` is the
 * message that opened the conversation: it was stored a moment before the conversation, so the
 * timeline starts at it even when it is older than `from`. `after` pages on (a message id of the
 * previous page's last message, same time order). Content is decrypted only when `content`.
 */
export async function conversationMessages(
  db: Db,
  keyring: Keyring,
  q: { workspaceId: string; senderId: string; contactId: string; from: number; until: number | null; openedBy: string | null; after?: string; limit: number; content: boolean },
): Promise<{ messages: ConversationMessage[]; nextCursor: string | null }> {
  let from = q.from;
  if (q.openedBy) {
    const opener = await db.selectFrom('messages').select('created_at').where('id', '=', q.openedBy).where('workspace_id', '=', q.workspaceId).executeTakeFirst();
    if (opener) from = Math.min(from, Number(opener.created_at));
  }
  let query = db
    .selectFrom('messages')
    .select(['id', 'direction', 'type', 'status', 'lane', 'template_name', 'template_language', 'metadata', 'created_at', 'status_at', 'error_code', 'error_message'])
    .$if(q.content, (qb) => qb.select('content'))
    .where('workspace_id', '=', q.workspaceId)
    .where('contact_id', '=', q.contactId)
    .where('sender_id', '=', q.senderId)
    .where('created_at', '>=', from);
  if (q.until !== null) query = query.where('created_at', '<', q.until);
  if (q.after) {
    const cursor = await db.selectFrom('messages').select('created_at').where('id', '=', q.after).where('workspace_id', '=', q.workspaceId).executeTakeFirst();
    if (cursor) {
      const at = Number(cursor.created_at);
      const after = q.after;
      query = query.where((eb) => eb.or([eb('created_at', '>', at), eb.and([eb('created_at', '=', at), eb('id', '>', after)])]));
    }
  }
  const rows = await query.orderBy('created_at').orderBy('id').limit(q.limit + 1).execute();
  const page = rows.slice(0, q.limit);
  const messages = await Promise.all(
    page.map(async (r): Promise<ConversationMessage> => {
      const metadata = JSON.parse(r.metadata) as Record<string, unknown>;
      return {
        id: r.id,
        direction: r.direction,
        type: r.type,
        status: r.status,
        lane: r.lane,
        templateName: r.template_name,
        templateLanguage: r.template_language,
        author: r.direction === 'outbound' && typeof metadata.author === 'string' ? metadata.author : null,
        createdAt: Number(r.created_at),
        statusAt: Number(r.status_at),
        error: r.error_code || r.error_message ? { code: r.error_code, message: r.error_message } : null,
        content: q.content ? await decryptContent(keyring, q.workspaceId, (r as { content?: string | null }).content ?? null) : null,
      };
    }),
  );
  return { messages, nextCursor: rows.length > q.limit ? page.at(-1)!.id : null };
}

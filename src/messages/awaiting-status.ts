import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { MessageStatus } from './status.js';

/** Statuses of a message handed to (or being handed to) the provider and waiting for its status webhooks (the partial index `messages_awaiting_status` covers exactly these). */
const AWAITING_STATUS: MessageStatus[] = ['sending', 'accepted', 'sent'];

/** The status time of a sender's oldest outbound message still waiting for a status, among those whose status time is in [`from`, `to`]. */
export async function oldestSendAwaitingStatus(db: Db, senderId: string, from: number, to: number): Promise<number | null> {
  const waiting = await db
    .selectFrom('messages')
    .select('status_at')
    .where('sender_id', '=', senderId)
    // Literal values, not parameters: a planner uses a partial index only when it can see the query implies its condition.
    .where(sql<boolean>`status in (${sql.join(AWAITING_STATUS.map((status) => sql.lit(status)))})`)
    .where('status_at', '>=', from)
    .where('status_at', '<=', to)
    .where('direction', '=', 'outbound')
    .orderBy('status_at')
    .limit(1)
    .executeTakeFirst();
  return waiting?.status_at ?? null;
}

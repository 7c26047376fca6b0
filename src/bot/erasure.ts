import type { Db } from '../db/database.js';
import { ERASED_RUN_STATE } from './session-store.js';
import { conversationsOfContacts, eraseNotesBy } from '../conversations/erasure.js';

/**
 * Erasure of some contacts (`privacy/erase-contact.ts`, in its transaction): the runs of the bot in
 * their conversations hold what it collected from them (the engine's variables, the effects of a step
 * not yet carried out: a message quoting their answer, a contact change, a hand-off summary), sealed
 * but readable with the workspace's key, and the hand-off notes it left quote them. All are destroyed; a run still under way stops, as the bot
 * no longer talks to an erased contact. The measure columns stay (status, hand-off reason, turns and
 * misunderstandings by node name, webhook failures): figures about the flow, not about the person.
 * Returns how many runs were emptied.
 */
export async function eraseBotRuns(db: Db, workspaceId: string, contactIds: readonly string[], now: number): Promise<number> {
  if (contactIds.length === 0) return 0;
  const theirConversations = conversationsOfContacts(db, workspaceId, contactIds);
  // The hand-off summaries the bot left for people quote the same answers.
  await eraseNotesBy(db, workspaceId, contactIds, 'bot');
  await db
    .updateTable('bot_sessions')
    .set({ status: 'stopped', ended_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('conversation_id', 'in', theirConversations)
    .where('status', 'in', ['active', 'waiting_webhook'])
    .execute();
  const result = await db
    .updateTable('bot_sessions')
    .set({ state: ERASED_RUN_STATE, pending: null, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('conversation_id', 'in', theirConversations)
    .where('state', '!=', ERASED_RUN_STATE)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

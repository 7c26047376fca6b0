import type { Db } from '../../db/database.js';

/**
 * Stores second provider ids (UltraMsg's WhatsApp id) on messages that have none yet, inside the
 * caller's transaction. An id another message already holds is left alone (the unique index would
 * refuse it and fail the whole batch). Returns the ids of the messages that got one.
 */
export async function storeAltIds(db: Db, items: Array<{ messageId: string; hash: string; sealed: string }>, now: number): Promise<Set<string>> {
  const stored = new Set<string>();
  const sorted = [...items].sort((a, b) => (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0));
  for (const { messageId, hash, sealed } of sorted) {
    const result = await db
      .updateTable('messages')
      .set({ provider_alt_id_hash: hash, provider_alt_id_sealed: sealed, updated_at: now })
      .where('id', '=', messageId)
      .where('provider_alt_id_hash', 'is', null)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('messages as other').select('other.id').where('other.provider_alt_id_hash', '=', hash))))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) stored.add(messageId);
  }
  return stored;
}

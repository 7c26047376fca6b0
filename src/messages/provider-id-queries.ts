import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/** A message as a provider's status or reply names it: its ids and where it belongs. */
export interface MessageByProviderId {
  id: string;
  workspace_id: string;
  sender_id: string | null;
  contact_id: string | null;
  provider_id_hash: string | null;
  provider_alt_id_hash: string | null;
}

/** The messages whose provider id or second provider id (UltraMsg's WhatsApp id) has one of the keyed `hashes`. */
export async function messagesByProviderIdHashes(db: Db, hashes: readonly string[]): Promise<MessageByProviderId[]> {
  return db
    .selectFrom('messages')
    .select(['id', 'workspace_id', 'sender_id', 'contact_id', 'provider_id_hash', 'provider_alt_id_hash'])
    .where((eb) => eb.or([eb('provider_id_hash', 'in', hashes), eb('provider_alt_id_hash', 'in', hashes)]))
    .execute();
}

/** The messages with one of Parley's `ids`, as `messagesByProviderIdHashes` reads them. */
export async function messagesByIdsForStatus(db: Db, ids: readonly string[]): Promise<MessageByProviderId[]> {
  return db.selectFrom('messages').select(['id', 'workspace_id', 'sender_id', 'contact_id', 'provider_id_hash', 'provider_alt_id_hash']).where('id', 'in', ids).execute();
}

/** The messages a reply may quote, by the keyed hash of either provider id (a reply quotes the id the customer's side knows). */
export async function quotedMessages(db: Db, hashes: readonly string[]): Promise<Array<Pick<MessageByProviderId, 'id' | 'provider_id_hash' | 'provider_alt_id_hash' | 'workspace_id'>>> {
  return db
    .selectFrom('messages')
    .select(['id', 'provider_id_hash', 'provider_alt_id_hash', 'workspace_id'])
    .where((eb) => eb.or([eb('provider_id_hash', 'in', hashes), eb('provider_alt_id_hash', 'in', hashes)]))
    .execute();
}

/** Stores a message's provider id (hash and sealed) when it has none yet, inside the caller's transaction. */
export async function storeProviderId(db: Db, messageId: string, providerId: { hash: string; sealed: string }, now: number): Promise<void> {
  await db.updateTable('messages').set({ provider_id_hash: providerId.hash, provider_id_sealed: providerId.sealed, updated_at: now }).where('id', '=', messageId).where('provider_id_hash', 'is', null).execute();
}

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

/**
 * A condition for another module's query: some message has `column` equal to the outer query's
 * column `outer` (a correlated EXISTS, one index lookup per outer row, as a join on that column would be;
 * each of these columns is unique where set).
 */
export const messageExistsWith = (column: 'provider_id_hash' | 'provider_alt_id_hash' | 'id', outer: string) =>
  sql<boolean>`exists (select 1 from messages as m where m.${sql.ref(column)} = ${sql.ref(outer)})`;

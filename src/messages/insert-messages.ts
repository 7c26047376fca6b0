import type { Db } from '../db/database.js';
import type { CompleteMessageRow } from './message-row.js';

/**
 * Stores inbound messages built by `inboundMessageRow`, inside the caller's transaction, skipping any
 * whose provider id is stored already (the unique keyed hash: a redelivery or a replay). Returns the ids
 * of the rows stored.
 */
export async function insertInboundMessages(db: Db, rows: CompleteMessageRow[]): Promise<string[]> {
  const done = await db.insertInto('messages').values(rows).onConflict((oc) => oc.column('provider_id_hash').where('provider_id_hash', 'is not', null).doNothing()).returning('id').execute();
  return done.map((r) => r.id);
}

import type { Db } from '../db/database.js';
import type { SearchMessageTermsTable, SearchNameTermsTable } from './tables.js';

/** Rows per insert statement: under SQLite's bound-parameter limit with room to spare. */
const CHUNK = 150;

/** Inserts message terms; a row already there (the same message and term, indexed by another pass) is skipped. */
export async function insertMessageTerms(db: Db, rows: readonly SearchMessageTermsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('search_message_terms')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) => oc.columns(['message_id', 'term_hash']).doNothing())
      .execute();
  }
}

/** Replaces a contact's name terms with `rows` (none: a contact without a name, merged or erased). */
export async function replaceNameTerms(db: Db, workspaceId: string, contactId: string, rows: readonly SearchNameTermsTable[]): Promise<void> {
  await db.deleteFrom('search_name_terms').where('workspace_id', '=', workspaceId).where('contact_id', '=', contactId).execute();
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('search_name_terms')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) => oc.columns(['contact_id', 'term_hash']).doNothing())
      .execute();
  }
}

/** A merged contact's messages are the survivor's now (`contacts/merge-contacts.ts` moved them): so are their terms. */
export async function moveMessageTermsToContact(db: Db, workspaceId: string, fromContactId: string, toContactId: string): Promise<void> {
  await db.updateTable('search_message_terms').set({ contact_id: toContactId }).where('workspace_id', '=', workspaceId).where('contact_id', '=', fromContactId).execute();
}

/**
 * Drops the terms of some messages (their bodies were purged by the retention policy,
 * `privacy/purge-message-bodies.ts`, which reads them in the workspace). By message id alone: the
 * primary key answers it, where a condition on the workspace would lead SQLite to its term-hash index
 * and a scan of the workspace's every term.
 */
export async function dropMessageTerms(db: Db, messageIds: readonly string[]): Promise<void> {
  for (let i = 0; i < messageIds.length; i += 500) {
    await db.deleteFrom('search_message_terms').where('message_id', 'in', messageIds.slice(i, i + 500)).execute();
  }
}

import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import { messageTermHash, nameTermHash } from './term-hashes.js';
import { queryTerms } from './terms.js';

/**
 * The ids of the workspace's contacts whose name has every term of `query` as a term or a prefix of
 * one, as a subquery (for `id in (…)`); null when the query has no term to search by (it matches nothing).
 */
export function contactsNamed(db: Db, keyring: Keyring, workspaceId: string, query: string) {
  const terms = queryTerms(query);
  return terms.length === 0 ? null : namedByTerms(db, keyring, workspaceId, terms);
}

function namedByTerms(db: Db, keyring: Keyring, workspaceId: string, terms: readonly string[]) {
  return db
    .selectFrom('search_name_terms')
    .select('search_name_terms.contact_id')
    .where('search_name_terms.workspace_id', '=', workspaceId)
    .where('search_name_terms.term_hash', 'in', terms.map((term) => nameTermHash(keyring, workspaceId, term)))
    .groupBy('search_name_terms.contact_id')
    .having(sql`count(distinct search_name_terms.term_hash)`, '=', terms.length);
}

/**
 * A condition on `conversations` (its `contact_id` and `sender_id`): the conversation's contact is
 * named by `query` (`contactsNamed`), or a message between its contact and its sender holds every
 * word of `query`. Null when the query has no term to search by (it matches nothing). Used by the
 * conversations module's list, which keeps its own filters and team scope around it.
 */
export function conversationsMatching(db: Db, keyring: Keyring, workspaceId: string, query: string): Expression<SqlBool> | null {
  const terms = queryTerms(query);
  if (terms.length === 0) return null;
  const named = namedByTerms(db, keyring, workspaceId, terms);
  const said = db
    .selectFrom('search_message_terms')
    .select('search_message_terms.message_id')
    .where('search_message_terms.workspace_id', '=', workspaceId)
    .where('search_message_terms.term_hash', 'in', terms.map((term) => messageTermHash(keyring, workspaceId, term)))
    .where(sql<SqlBool>`search_message_terms.contact_id = ${sql.ref('conversations.contact_id')}`)
    .where(sql<SqlBool>`search_message_terms.sender_id = ${sql.ref('conversations.sender_id')}`)
    .groupBy('search_message_terms.message_id')
    .having(sql`count(distinct search_message_terms.term_hash)`, '=', terms.length);
  return sql<SqlBool>`(${sql.ref('conversations.contact_id')} in ${named} or exists ${said})`;
}

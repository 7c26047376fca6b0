import type { QueryCreator } from 'kysely';
import type { SuppressionsSchema, SuppressionsTable } from './tables.js';

/**
 * What these queries need of a database: the handle or a transaction of the caller's (both are
 * given as they are). Typed by this module's own tables only, so suppressions/ depends on nothing
 * of Parley's while src/db/ assembles the database type from its tables.ts.
 */
export type SuppressionsDb = Pick<QueryCreator<SuppressionsSchema>, 'selectFrom' | 'insertInto'>;

export type SuppressionScope = SuppressionsTable['scope'];

/** One suppression of a contact, expired or not: whoever decides compares `expiresAt` with its own now. */
export interface Suppression {
  scope: SuppressionScope;
  reason: string;
  /** Null: until lifted. */
  expiresAt: number | null;
}

/**
 * Suppresses a contact for `scope`, within the caller's transaction. A contact already suppressed for
 * that scope keeps its first row (reason and time).
 */
export async function addSuppression(
  db: SuppressionsDb,
  s: { workspaceId: string; contactId: string; scope: SuppressionScope; reason: string; at: number },
): Promise<void> {
  await db
    .insertInto('suppressions')
    .values({ workspace_id: s.workspaceId, contact_id: s.contactId, scope: s.scope, reason: s.reason, created_at: s.at, expires_at: null })
    .onConflict((oc) => oc.columns(['workspace_id', 'contact_id', 'scope']).doNothing())
    .execute();
}

/** The suppressions of one contact of a workspace. */
export async function suppressionsOfContact(db: SuppressionsDb, workspaceId: string, contactId: string): Promise<Suppression[]> {
  const rows = await db.selectFrom('suppressions').select(['scope', 'reason', 'expires_at']).where('workspace_id', '=', workspaceId).where('contact_id', '=', contactId).execute();
  return rows.map(toSuppression);
}

/** The suppressions of many contacts in one query (contact ids are unique across workspaces), by contact id; a contact without any is absent. */
export async function suppressionsOfContacts(db: SuppressionsDb, contactIds: readonly string[]): Promise<Map<string, Suppression[]>> {
  const byContact = new Map<string, Suppression[]>();
  const ids = [...new Set(contactIds)];
  if (ids.length === 0) return byContact;
  const rows = await db.selectFrom('suppressions').select(['contact_id', 'scope', 'reason', 'expires_at']).where('contact_id', 'in', ids).execute();
  for (const row of rows) {
    const list = byContact.get(row.contact_id) ?? [];
    list.push(toSuppression(row));
    byContact.set(row.contact_id, list);
  }
  return byContact;
}

function toSuppression(row: { scope: SuppressionScope; reason: string; expires_at: number | null }): Suppression {
  return { scope: row.scope, reason: row.reason, expiresAt: row.expires_at };
}

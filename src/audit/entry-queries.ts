import type { Db } from '../db/database.js';
import type { StoredEntry } from './hash.js';
import type { AuditEntriesTable } from './tables.js';

export const toStoredEntry = (row: AuditEntriesTable): StoredEntry => ({ ...row, seq: Number(row.seq), at: Number(row.at) });

export interface EntryFilter {
  actorType?: string;
  actorId?: string;
  resourceType?: string;
  resourceId?: string;
  action?: string;
  /** Entries at or after this time (ms). */
  from?: number;
  /** Entries before this time (ms). */
  to?: number;
}

/** One page of a workspace's entries, newest first: those below `beforeSeq`, at most `limit`, and whether more follow. */
export async function listEntries(db: Db, workspaceId: string, filter: EntryFilter, page: { limit: number; beforeSeq?: number }): Promise<{ rows: StoredEntry[]; more: boolean }> {
  let query = db.selectFrom('audit_entries').selectAll().where('workspace_id', '=', workspaceId);
  if (filter.actorType !== undefined) query = query.where('actor_type', '=', filter.actorType);
  if (filter.actorId !== undefined) query = query.where('actor_id', '=', filter.actorId);
  if (filter.resourceType !== undefined) query = query.where('resource_type', '=', filter.resourceType);
  if (filter.resourceId !== undefined) query = query.where('resource_id', '=', filter.resourceId);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('at', '<', filter.to);
  if (page.beforeSeq !== undefined) query = query.where('seq', '<', page.beforeSeq);
  const rows = await query.orderBy('seq', 'desc').limit(page.limit + 1).execute();
  return { rows: rows.slice(0, page.limit).map(toStoredEntry), more: rows.length > page.limit };
}

/** Entries in chain order after `afterSeq` (up to `upTo`, when given), at most `limit` (the verifier's pages). */
export async function entriesAfter(db: Db, workspaceId: string, afterSeq: number, limit: number, upTo?: number): Promise<StoredEntry[]> {
  let query = db.selectFrom('audit_entries').selectAll().where('workspace_id', '=', workspaceId).where('seq', '>', afterSeq);
  if (upTo !== undefined) query = query.where('seq', '<=', upTo);
  const rows = await query.orderBy('seq').limit(limit).execute();
  return rows.map(toStoredEntry);
}

export async function readHead(db: Db, workspaceId: string): Promise<{ seq: number; hash: string } | undefined> {
  const row = await db.selectFrom('audit_heads').select(['seq', 'hash']).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return row && { seq: Number(row.seq), hash: row.hash };
}

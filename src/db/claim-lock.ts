import type { SelectQueryBuilder } from 'kysely';
import type { DialectName } from './dialect.js';

/**
 * The one rule for claiming work rows: on PostgreSQL, where several processes take work from the same
 * table, the rows a claim selects are locked `FOR UPDATE SKIP LOCKED`, so a worker never waits on
 * another and never takes rows another is claiming; on SQLite, with one writer at a time, there is
 * nothing to lock. The claim's own UPDATE (a status or a lease time in its WHERE) stays the final guard.
 */
export function lockedForClaim<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>, dialect: DialectName): SelectQueryBuilder<DB, TB, O> {
  return dialect === 'postgres' ? query.forUpdate().skipLocked() : query;
}

import type { Db } from '../../db/database.js';

/**
 * Removes processed deliveries older than the retention (their effects live in messages, statuses
 * and updates). Failed deliveries stay until replayed. Bounded per call so it never holds the log long.
 */
export async function purgeProcessedLog(db: Db, olderThan: number, limit = 5000): Promise<number> {
  const old = db.selectFrom('webhook_log').select('seq').where('state', '=', 'done').where('processed_at', '<', olderThan).orderBy('seq').limit(limit);
  const result = await db.deleteFrom('webhook_log').where('seq', 'in', old).executeTakeFirst();
  return Number(result.numDeletedRows);
}

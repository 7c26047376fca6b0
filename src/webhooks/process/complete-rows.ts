import type { Db } from '../../db/database.js';
import { MINUTE, SECOND } from '../../shared/time.js';
import { PERMANENT_FAILURES, type ItemResult, type RowWork, type WorkItem } from './work.js';

/** Attempts before a delivery whose items keep throwing is left `failed` for replay. */
export const MAX_ATTEMPTS = 6;

/** Retry delay after the given (1-based) attempt: 1 s, 4 s, 16 s, ... up to 10 minutes. */
export const retryDelay = (attempt: number): number => Math.min(10 * MINUTE, SECOND * 4 ** Math.max(0, attempt - 1));

const QUIET: ReadonlySet<string> = new Set(['applied', 'duplicate', 'stale', 'pending']);

export interface RowCompletion {
  seq: number;
  /** Attempts so far, this one included. */
  attempts: number;
  state: 'done' | 'failed' | 'pending';
  nextAttemptAt?: number;
  error: string | null;
  /** JSON of the items worth a look (ignored, unrouted, invalid, error), or null. */
  outcome: string | null;
  senderId: string | null;
}

function senderOf(row: RowWork): string | null {
  if (row.senderId) return row.senderId;
  for (const work of row.items) if (work.sender) return work.sender.id;
  return null;
}

/** Decides a delivery's state from its items' results. Pure. */
export function completeRow(row: RowWork, resultOf: (work: WorkItem) => ItemResult | undefined, now: number): RowCompletion {
  const senderId = senderOf(row);
  if (row.fatal) return { seq: row.seq, attempts: row.attempts, senderId, state: 'failed', error: row.fatal, outcome: null };
  // The usual case, without allocating: every item applied, deduplicated, stale or held.
  let quiet = true;
  for (const work of row.items) {
    const r = resultOf(work);
    if (!r || !QUIET.has(r.result)) {
      quiet = false;
      break;
    }
  }
  if (quiet) return { seq: row.seq, attempts: row.attempts, senderId, state: 'done', error: null, outcome: null };
  const base = { seq: row.seq, attempts: row.attempts, senderId };
  const notable = row.items
    .map((work) => ({ work, r: resultOf(work) ?? { result: 'error' as const, note: 'not processed' } }))
    .filter(({ r }) => !QUIET.has(r.result));
  const outcome = notable.length ? JSON.stringify({ items: notable.map(({ work, r }) => ({ key: work.key, result: r.result, ...(r.note ? { note: r.note } : {}) })) }) : null;
  const errors = notable.filter(({ r }) => r.result === 'error');
  const permanent = notable.filter(({ r }) => PERMANENT_FAILURES.has(r.result));
  const summary = (list: typeof notable) => list.map(({ work, r }) => `${work.key}: ${r.result}${r.note ? ` (${r.note})` : ''}`).join('; ');
  if (errors.length) {
    if (row.attempts >= MAX_ATTEMPTS) return { ...base, state: 'failed', error: `gave up after ${row.attempts} attempts: ${summary(errors)}`, outcome };
    return { ...base, state: 'pending', nextAttemptAt: now + retryDelay(row.attempts), error: summary(errors), outcome };
  }
  if (permanent.length) return { ...base, state: 'failed', error: summary(permanent), outcome };
  return { ...base, state: 'done', error: null, outcome };
}

/** Writes row completions: plain `done` rows in one statement per sender, the rest one by one. */
export async function writeCompletions(db: Db, completions: RowCompletion[], now: number): Promise<void> {
  const plain = new Map<string, number[]>();
  for (const c of completions) {
    if (c.state === 'done' && c.outcome === null) {
      const key = c.senderId ?? '';
      const seqs = plain.get(key);
      if (seqs) seqs.push(c.seq);
      else plain.set(key, [c.seq]);
      continue;
    }
    await db
      .updateTable('webhook_log')
      .set({
        state: c.state,
        attempts: c.attempts,
        processed_at: c.state === 'pending' ? null : now,
        error: c.error,
        outcome: c.outcome,
        ...(c.nextAttemptAt !== undefined ? { next_attempt_at: c.nextAttemptAt } : {}),
        ...(c.senderId ? { sender_id: c.senderId } : {}),
      })
      .where('seq', '=', c.seq)
      .execute();
  }
  for (const [senderId, seqs] of plain) {
    await db
      .updateTable('webhook_log')
      .set({ state: 'done', processed_at: now, error: null, outcome: null, ...(senderId ? { sender_id: senderId } : {}) })
      .where('seq', 'in', seqs)
      .execute();
  }
}

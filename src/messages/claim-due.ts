import { sql, type Selectable } from 'kysely';
import type { MessagesTable } from './tables.js';
import type { Db, Store } from '../db/database.js';
import { STATUS_RANK } from './status.js';
import { lockedForClaim } from '../db/claim-lock.js';
import { statusSet } from './transitions.js';


const COLUMNS = ['id', 'workspace_id', 'contact_id', 'lane', 'lane_priority', 'type', 'content', 'template_name', 'template_language', 'reply_to', 'send_at', 'valid_until', 'attempts', 'created_at'] as const;

/** A queued message as the dispatcher claims it: the columns above, typed by the table. */
export type ClaimedMessage = Pick<Selectable<MessagesTable>, (typeof COLUMNS)[number]>;

/**
 * What the plan chooses from: a due message without its content. Many candidates are passed over (their
 * recipient has a message in flight), so their content is read only for those claimed.
 */
const CANDIDATE_COLUMNS = ['id', 'contact_id', 'lane', 'lane_priority', 'next_attempt_at'] as const;
export type ClaimCandidate = Pick<Selectable<MessagesTable>, (typeof CANDIDATE_COLUMNS)[number]>;

export interface ClaimPlan {
  /** Picks which candidates to claim now; the rest stay queued, optionally deferred to a later time. */
  choose(candidates: ClaimCandidate[]): { claim: ClaimCandidate[]; defer: Array<{ id: string; until: number }> };
}

/**
 * Claims due messages of one sender, lanes in strict priority (OTP first), oldest due first within a
 * lane. Each lane is one index range scan on (status, sender_id, lane_priority, next_attempt_at), so a
 * deep marketing backlog costs nothing when an OTP is waiting. On PostgreSQL candidates are locked
 * with FOR UPDATE SKIP LOCKED so workers never wait on each other; the UPDATE's status condition is
 * the final guard on both dialects (a cancelled message is never claimed).
 *
 * On SQLite (one writer at a time, and one dispatcher per sender by its lease) the candidates are read
 * in one statement outside the write lock, so the frequent poll that finds nothing due opens no
 * transaction and takes no turn at the write lock.
 */
export async function claimDue(store: Store, senderId: string, workerId: string, now: number, limit: number, plan: ClaimPlan): Promise<ClaimedMessage[]> {
  if (store.dialect === 'sqlite') {
    const candidates = await dueByLaneInOneRead(store.db, senderId, now, limit);
    if (candidates.length === 0) return [];
    return store.db.transaction().execute((tx) => claimChosen(tx, candidates, workerId, now, plan));
  }
  return store.db.transaction().execute(async (tx) => {
    const candidates: ClaimCandidate[] = [];
    for (let lane = 0; lane <= MAX_LANE && candidates.length < limit; lane++) {
      const query = dueInLane(tx, senderId, lane, now, limit - candidates.length);
      candidates.push(...(await lockedForClaim(query, store.dialect).execute()));
    }
    return candidates.length === 0 ? [] : claimChosen(tx, candidates, workerId, now, plan);
  });
}

const MAX_LANE = 3;

function dueInLane(db: Db, senderId: string, lane: number, now: number, limit: number) {
  return db
    .selectFrom('messages')
    .select(CANDIDATE_COLUMNS)
    .where('status', '=', 'queued')
    .where('sender_id', '=', senderId)
    .where('lane_priority', '=', lane)
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit);
}

/**
 * Every lane's range scan in one statement (a UNION ALL of the per-lane scans). Within a lane, ties of
 * `next_attempt_at` go by rowid (the order the messages were accepted in), which the index holds after
 * its columns: the read needs no sort in SQLite (a temporary B-tree per lane and one for the union cost
 * more than the scans). The lanes are put in priority order here.
 */
async function dueByLaneInOneRead(db: Db, senderId: string, now: number, limit: number): Promise<ClaimCandidate[]> {
  const lane = (n: number) =>
    db
      .selectFrom((inner) =>
        inner
          .selectFrom('messages')
          .select([...CANDIDATE_COLUMNS, sql<number>`rowid`.as('seq')])
          .where('status', '=', 'queued')
          .where('sender_id', '=', senderId)
          .where('lane_priority', '=', n)
          .where('next_attempt_at', '<=', now)
          .orderBy('next_attempt_at')
          .orderBy(sql`rowid`)
          .limit(limit)
          .as(`lane${n}`),
      )
      .selectAll();
  let query = lane(0);
  for (let n = 1; n <= MAX_LANE; n++) query = query.unionAll(lane(n));
  const rows = await query.execute();
  rows.sort((a, b) => a.lane_priority - b.lane_priority || a.next_attempt_at - b.next_attempt_at || a.seq - b.seq);
  return rows.slice(0, limit).map(({ seq: _seq, ...candidate }) => candidate);
}

async function claimChosen(tx: Db, candidates: ClaimCandidate[], workerId: string, now: number, plan: ClaimPlan): Promise<ClaimedMessage[]> {
  const { claim, defer } = plan.choose(candidates);
  for (const d of defer) {
    await tx.updateTable('messages').set({ next_attempt_at: d.until }).where('id', '=', d.id).where('status', '=', 'queued').execute();
  }
  if (claim.length === 0) return [];
  const claimed = await tx
    .updateTable('messages')
    .set({ ...statusSet('sending', now), claimed_by: workerId, claimed_at: now, updated_at: now, attempts: sql`attempts + 1` })
    .where('id', 'in', claim.map((m) => m.id))
    // The guard is on the rank, not on `status`: a condition on `status` tempts SQLite's planner to walk
    // the (status, ...) index over the whole queue instead of looking the ids up by primary key.
    .where('status_rank', '=', STATUS_RANK.queued)
    .returning(COLUMNS)
    .execute();
  // In the order chosen (lanes by priority, oldest first), which the UPDATE's RETURNING does not keep.
  const byId = new Map(claimed.map((m) => [m.id, m]));
  return claim.flatMap((m) => byId.get(m.id) ?? []);
}

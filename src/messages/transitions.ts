import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { STATUS_RANK, type MessageStatus } from './status.js';

/**
 * The status moves Parley itself makes on its way to the provider (cancel, schedule, expire, requeue,
 * accept, crash recovery), next to `applyStatus` (forward-only moves, provider reports) and
 * `claimDue` (queued → sending). Each is one conditional UPDATE, so a move that lost a race changes
 * nothing; callers write the history (`message_events`) and dead letters themselves.
 */

/** The status columns of a move to `status` at `at`. */
export const statusSet = (status: MessageStatus, at: number) => ({ status, status_rank: STATUS_RANK[status], status_at: at });

/** Cancels a message that has not left Parley yet (queued or scheduled). True when it was cancelled. */
export async function cancelWaiting(db: Db, workspaceId: string, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('messages')
    .set({ ...statusSet('cancelled', now), updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'scheduled'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Scheduled messages whose time has come join the queue. */
export async function promoteScheduled(db: Db, now: number): Promise<Array<{ id: string; sender_id: string | null }>> {
  return db
    .updateTable('messages')
    .set({ ...statusSet('queued', now), updated_at: now })
    .where('status', '=', 'scheduled')
    .where('next_attempt_at', '<=', now)
    .returning(['id', 'sender_id'])
    .execute();
}

/** Ends `expired` those of `ids` still waiting (queued or scheduled); returns the ids that were. */
export async function expireWaiting(db: Db, ids: string[], now: number, error: { code: string; message: string }): Promise<Set<string>> {
  const rows = await db
    .updateTable('messages')
    .set({ ...statusSet('expired', now), updated_at: now, error_code: error.code, error_message: error.message })
    .where('id', 'in', ids)
    .where('status', 'in', ['queued', 'scheduled'])
    .returning('id')
    .execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * The provider took a claimed message and gave its id: in one statement, stores the id (hash and
 * sealed) unless a status webhook carrying Parley's id stored it first, and moves to `accepted` only if
 * that is progress (a `sent` webhook may already have arrived). Every SET expression sees the row as it
 * was, so both test the old hash and the old rank.
 */
export async function markAccepted(
  db: Db,
  o: { id: string; providerIdHash: string; providerIdSealed: string | null; at: number; template?: { name: string; language: string } },
): Promise<void> {
  const rank = STATUS_RANK.accepted;
  await db
    .updateTable('messages')
    .set({
      provider_id_sealed: sql`case when provider_id_hash is null then ${o.providerIdSealed} else provider_id_sealed end`,
      provider_id_hash: sql`coalesce(provider_id_hash, ${o.providerIdHash})`,
      claimed_by: null,
      status: sql`case when status_rank < ${rank} then 'accepted' else status end`,
      status_at: sql`case when status_rank < ${rank} then ${o.at} else status_at end`,
      status_rank: sql`case when status_rank < ${rank} then ${rank} else status_rank end`,
      // A failure reported before this write (a fast webhook, UltraMsg's list) keeps its error.
      error_code: sql`case when status_rank < ${rank} then null else error_code end`,
      error_message: sql`case when status_rank < ${rank} then null else error_message end`,
      updated_at: o.at,
      // A reroute to a backup template: the message records what was actually sent.
      ...(o.template ? { template_name: o.template.name, template_language: o.template.language } : {}),
    })
    .where('id', '=', o.id)
    .execute();
}

/**
 * The one backwards move: a message `workerId` holds in flight (`sending`) goes back to the queue for
 * a later attempt, its attempt given back when it never reached the provider.
 */
export async function requeueClaimed(db: Db, workerId: string, o: { id: string; at: number; nextAttemptAt: number; refundAttempt: boolean }): Promise<void> {
  await db
    .updateTable('messages')
    .set({
      ...statusSet('queued', o.at),
      next_attempt_at: o.nextAttemptAt,
      claimed_by: null,
      claimed_at: null,
      updated_at: o.at,
      ...(o.refundAttempt ? { attempts: sql`attempts - 1` } : {}),
    })
    .where('id', '=', o.id)
    .where('status', '=', 'sending')
    .where('claimed_by', '=', workerId)
    .execute();
}

/** Releases a message's claim (its status already settled). */
export async function releaseClaim(db: Db, id: string): Promise<void> {
  await db.updateTable('messages').set({ claimed_by: null }).where('id', '=', id).execute();
}

/** A message caught `sending` by a worker that is gone, as the crash recovery read it. */
export interface InFlight {
  id: string;
  claimedBy: string | null;
}

/** The row still `sending` under the claim it was read with (another reconciler may have settled it). */
const stillInFlight = (db: Db, o: InFlight) =>
  db
    .updateTable('messages')
    .where('id', '=', o.id)
    .where('status', '=', 'sending')
    .where((eb) => (o.claimedBy === null ? eb('claimed_by', 'is', null) : eb('claimed_by', '=', o.claimedBy)));

/** An orphan that never reached the provider goes back to the queue, due now. True when it did. */
export async function requeueInFlight(db: Db, o: InFlight, now: number): Promise<boolean> {
  const result = await stillInFlight(db, o)
    .set({ ...statusSet('queued', now), next_attempt_at: now, claimed_by: null, claimed_at: null, updated_at: now })
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** An orphan the provider has: `accepted`, with its provider id (unless one is stored already). True when it was. */
export async function acceptInFlight(db: Db, o: InFlight, providerId: { hash: string; sealed: string } | undefined, now: number): Promise<boolean> {
  const result = await stillInFlight(db, o)
    .set((eb) => ({
      ...(providerId
        ? { provider_id_sealed: eb.case().when('provider_id_hash', 'is', null).then(providerId.sealed).else(eb.ref('provider_id_sealed')).end(), provider_id_hash: eb.fn.coalesce('provider_id_hash', eb.val(providerId.hash)) }
        : {}),
      ...statusSet('accepted', now),
      claimed_by: null,
      updated_at: now,
    }))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** An orphan nobody can account for ends `failed`; returns its attempt count, or undefined when it was settled meanwhile. */
export async function failInFlight(db: Db, o: InFlight, now: number, error: { code: string; message: string }): Promise<number | undefined> {
  const result = await stillInFlight(db, o)
    .set({ ...statusSet('failed', now), error_code: error.code, error_message: error.message, claimed_by: null, updated_at: now })
    .returning('attempts')
    .executeTakeFirst();
  return result?.attempts;
}

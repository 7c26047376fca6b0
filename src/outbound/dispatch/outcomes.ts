import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { STATUS_RANK, type MessageStatus } from '../../messages/status.js';
import { applyStatus } from '../../messages/apply-status.js';
import type { MessageEventInput } from '../../messages/message-events.js';
import { addSuppression, type SuppressionScope } from '../../suppressions/suppression-queries.js';

/**
 * What happened to one claimed message, written back in batches (one transaction for many).
 * - accepted: the provider took it and gave its id.
 * - requeue: back to `queued` for a later attempt (retry, back-pressure, pacing, hold).
 * - final: ended without reaching the provider or refused by it: failed, refused or expired; listed as a dead letter.
 */
export type Outcome =
  | { kind: 'accepted'; id: string; providerIdHash: string; providerIdSealed: string | null; at: number; event: Record<string, unknown>; template?: { name: string; language: string } }
  | { kind: 'requeue'; id: string; nextAttemptAt: number; refundAttempt: boolean; at: number; event: MessageEventInput }
  | {
      kind: 'final';
      id: string;
      workspaceId: string;
      status: Extract<MessageStatus, 'failed' | 'refused' | 'expired'>;
      code: string | null;
      reason: string;
      attempts: number;
      at: number;
      event: MessageEventInput;
      suppress?: { contactId: string; scope: SuppressionScope };
    };

export async function writeOutcomes(db: Db, workerId: string, outcomes: Outcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await db.transaction().execute(async (tx) => {
    const events: MessageEventInput[] = [];
    for (const o of outcomes) {
      if (o.kind === 'accepted') {
        // One statement: store the provider id (hash and sealed) unless a status webhook carrying our id
        // stored it first, and move to `accepted` only if that is progress (a `sent` webhook may already
        // have arrived). Every SET expression sees the row as it was, so both test the old hash.
        const rank = STATUS_RANK.accepted;
        await tx
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
        events.push({ messageId: o.id, kind: 'attempt', status: 'accepted', at: o.at, detail: o.event });
      } else if (o.kind === 'requeue') {
        // The one backwards move: a message this worker holds in flight goes back to the queue.
        await tx
          .updateTable('messages')
          .set({
            status: 'queued',
            status_rank: STATUS_RANK.queued,
            status_at: o.at,
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
        events.push(o.event);
      } else {
        const applied = await applyStatus(tx, { messageId: o.id, status: o.status, at: o.at, errorCode: o.code, errorMessage: o.reason }, o.at);
        await tx.updateTable('messages').set({ claimed_by: null }).where('id', '=', o.id).execute();
        events.push(o.event);
        if (applied) {
          await tx
            .insertInto('dead_letters')
            .values({ message_id: o.id, workspace_id: o.workspaceId, reason: o.reason, error_code: o.code, attempts: o.attempts, created_at: o.at })
            .onConflict((oc) => oc.column('message_id').doNothing())
            .execute();
        }
        if (o.suppress) {
          await addSuppression(tx, { workspaceId: o.workspaceId, contactId: o.suppress.contactId, scope: o.suppress.scope, reason: o.reason, at: o.at });
        }
      }
    }
    if (events.length) {
      await tx
        .insertInto('message_events')
        .values(events.map((e) => ({ message_id: e.messageId, kind: e.kind, status: e.status ?? null, at: e.at, detail: JSON.stringify(e.detail ?? {}) })))
        .execute();
    }
  });
}

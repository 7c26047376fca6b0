import type { Db } from '../../db/database.js';
import type { MessageStatus } from '../../messages/status.js';
import { markAccepted, releaseClaim, requeueClaimed } from '../../messages/transitions.js';
import { applyStatus } from '../../messages/apply-status.js';
import { addDeadLetters } from '../../messages/dead-letters.js';
import { appendMessageEvents, type MessageEventInput } from '../../messages/message-events.js';
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
        await markAccepted(tx, o);
        events.push({ messageId: o.id, kind: 'attempt', status: 'accepted', at: o.at, detail: o.event });
      } else if (o.kind === 'requeue') {
        await requeueClaimed(tx, workerId, o);
        events.push(o.event);
      } else {
        const applied = await applyStatus(tx, { messageId: o.id, status: o.status, at: o.at, errorCode: o.code, errorMessage: o.reason }, o.at);
        await releaseClaim(tx, o.id);
        events.push(o.event);
        if (applied) {
          await addDeadLetters(tx, [{ messageId: o.id, workspaceId: o.workspaceId, reason: o.reason, errorCode: o.code, attempts: o.attempts, at: o.at }]);
        }
        if (o.suppress) {
          await addSuppression(tx, { workspaceId: o.workspaceId, contactId: o.suppress.contactId, scope: o.suppress.scope, reason: o.reason, at: o.at });
        }
      }
    }
    if (events.length) {
      await appendMessageEvents(tx, events);
    }
  });
}

import type { Db } from '../../db/database.js';
import type { ParleyContext } from '../../runtime/context.js';
import type { SendLookup } from '../../channels/port.js';
import { providerIdHash, sealProviderId } from '../../messages/provider-ids.js';
import { acceptInFlight, failInFlight, requeueInFlight } from '../../messages/transitions.js';
import { addDeadLetters } from '../../messages/dead-letters.js';
import { appendMessageEvents } from '../../messages/message-events.js';
import { inFlightOrphans } from '../../messages/outbox-queries.js';
import { providerOfSender } from '../../senders/sender-queries.js';
import { HOUR } from '../../shared/time.js';
import type { StatusItem } from '../../channels/webhook-items.js';
import { applyPendingStatuses } from '../../webhooks/pending-statuses.js';
import { applyPolledStatuses } from '../../webhooks/process/apply-polled-statuses.js';
import { storeAltIds } from '../../webhooks/process/store-alt-ids.js';

/**
 * Crash recovery for messages caught in flight. A message is marked `sending` before the provider call;
 * if its worker dies, nobody knows whether the provider got it. Cloud API echoes Parley's id in every
 * status webhook (`biz_opaque_callback_data`), so a message it got leaves `sending` when its first status
 * arrives. UltraMsg's acks may name only its own ids (decision 0007), and its queue may hold a message
 * for hours, so silence proves nothing there: a provider that can be asked (`ChannelAdapter.findSend`)
 * is asked first. An orphan (still `sending` after the grace period, claimed by a worker that is gone) is
 *
 * - recorded as the provider's when the provider has it: its id stored, `accepted`, then what the
 *   provider's record says (sent, delivered, failed...) and any statuses held under its ids; not sent again;
 * - sent again when the provider says it does not have it, or cannot be asked;
 * - left `sending` when the provider cannot answer now, and asked again at the next pass; once it has
 *   not answered for `ORPHAN_LOOKUP_MAX_MS` past the grace period, the message ends `failed`
 *   (`orphan_unconfirmed`, a dead letter): sending it again might send it twice (decision 0007, addendum).
 *
 * This is the only place a message is sent again after a crash, and the count is a metric.
 */

/** How long after the grace period an orphan whose provider cannot answer waits before it is ended. */
export const ORPHAN_LOOKUP_MAX_MS = 1 * HOUR;

export const ORPHAN_UNCONFIRMED = 'orphan_unconfirmed';

/** A message caught in flight by a worker that is gone. */
export interface Orphan {
  id: string;
  workspaceId: string;
  senderId: string | null;
  claimedBy: string | null;
  claimedAt: number;
}

/**
 * Asks the orphan's provider whether it got the send: undefined when the provider cannot be asked;
 * throws when it cannot answer now.
 */
export type OrphanLookup = (orphan: Orphan) => Promise<SendLookup | undefined>;

/** What to do with one orphan, given what its provider said. Pure. */
export type OrphanDecision = { kind: 'record'; found: Extract<SendLookup, { found: true }> } | { kind: 'requeue' } | { kind: 'wait' } | { kind: 'end' };

export function decideOrphan(answer: { lookup: SendLookup | undefined } | { failed: true }, claimedAt: number, graceMs: number, now: number): OrphanDecision {
  if ('failed' in answer) return now - claimedAt > graceMs + ORPHAN_LOOKUP_MAX_MS ? { kind: 'end' } : { kind: 'wait' };
  return answer.lookup?.found ? { kind: 'record', found: answer.lookup } : { kind: 'requeue' };
}

export interface OrphanPass {
  /** Sent again. */
  requeued: string[];
  /** Found at the provider and recorded as its send. */
  recorded: string[];
  /** Ended `failed` after their provider could not answer for too long. */
  ended: string[];
  /** Left `sending`: their provider could not answer this pass. */
  waiting: string[];
  /** The last error of a lookup, if any failed. */
  lastError?: unknown;
}

export async function reconcileOrphans(ctx: ParleyContext, liveWorkers: string[], graceMs: number, now: number, lookup?: OrphanLookup, limit = 500): Promise<OrphanPass> {
  const { db } = ctx;
  const rows = await inFlightOrphans(db, { liveWorkers, claimedBefore: now - graceMs, limit });
  const pass: OrphanPass = { requeued: [], recorded: [], ended: [], waiting: [] };
  for (const row of rows) {
    const o: Orphan = { id: row.id, workspaceId: row.workspace_id, senderId: row.sender_id, claimedBy: row.claimed_by, claimedAt: Number(row.claimed_at ?? 0) };
    let answer: { lookup: SendLookup | undefined } | { failed: true };
    try {
      answer = { lookup: lookup ? await lookup(o) : undefined };
    } catch (error) {
      pass.lastError = error;
      answer = { failed: true };
    }
    const decision = decideOrphan(answer, o.claimedAt, graceMs, now);
    if (decision.kind === 'wait') pass.waiting.push(o.id);
    else if (decision.kind === 'requeue' && (await requeue(db, o, graceMs, now, answer))) pass.requeued.push(o.id);
    else if (decision.kind === 'record' && (await record(ctx, o, decision.found, now))) pass.recorded.push(o.id);
    else if (decision.kind === 'end' && (await end(db, o, graceMs, now, pass.lastError))) pass.ended.push(o.id);
  }
  return pass;
}

async function requeue(db: Db, o: Orphan, graceMs: number, now: number, answer: { lookup: SendLookup | undefined } | { failed: true }): Promise<boolean> {
  if (!(await requeueInFlight(db, o, now))) return false;
  const asked = 'lookup' in answer && answer.lookup ? ' and the provider, asked, does not have it' : '';
  await appendMessageEvents(db, [{ messageId: o.id, kind: 'note', status: 'queued', at: now, detail: { reason: `In flight when worker ${o.claimedBy} stopped; no provider status arrived within ${graceMs} ms${asked}, so it never reached the provider. Sending again.` } }]);
  return true;
}

/**
 * The provider has the send: stored as an accepted send would have been (its id hashed and sealed), in
 * one transaction with the event; then the statuses held under its ids (acks that named only them) and
 * what the provider's record says, through the webhooks' own path (receipts, forward only, dead letters).
 */
async function record(ctx: ParleyContext, o: Orphan, found: Extract<SendLookup, { found: true }>, now: number): Promise<boolean> {
  const { db, keyring } = ctx;
  const id = found.providerMessageId;
  const hash = id ? providerIdHash(keyring, id) : undefined;
  const sealed = id ? await sealProviderId(keyring, o.workspaceId, id) : undefined;
  const alt = found.altProviderMessageId ? { hash: providerIdHash(keyring, found.altProviderMessageId), sealed: await sealProviderId(keyring, o.workspaceId, found.altProviderMessageId) } : undefined;
  const recorded = await db.transaction().execute(async (trx) => {
    if (!(await acceptInFlight(trx, o, hash && sealed ? { hash, sealed } : undefined, now))) return false;
    if (alt) await storeAltIds(trx, [{ messageId: o.id, ...alt }], now);
    await appendMessageEvents(trx, [{ messageId: o.id, kind: 'note', status: 'accepted', at: now, detail: { reason: `In flight when worker ${o.claimedBy} stopped; ${found.evidence}, so the provider got it: recorded as its send and not sent again.` } }]);
    return true;
  });
  if (!recorded) return false;
  const hashes = [hash, alt?.hash].filter((h): h is string => h !== undefined);
  if (hashes.length) await applyPendingStatuses(ctx, hashes);
  if (found.status && id && o.senderId) {
    const provider = await providerOfSender(db, o.senderId);
    if (provider) {
      const item: StatusItem = { kind: 'status', provider, route: { senderId: o.senderId }, providerMessageId: id, parleyMessageId: o.id, at: now, ...found.status };
      await applyPolledStatuses(ctx, o.workspaceId, [item]);
    }
  }
  return true;
}

/** The provider could not say for too long: ended, not sent again (a second send could be a duplicate). */
async function end(db: Db, o: Orphan, graceMs: number, now: number, error: unknown): Promise<boolean> {
  const waited = Math.round((now - o.claimedAt) / 60_000);
  const reason = `In flight when worker ${o.claimedBy} stopped; the provider could not say whether it got the message for ${waited} minutes (${error instanceof Error ? error.message : String(error)}). Not sent again, so as never to send it twice.`;
  return db.transaction().execute(async (trx) => {
    const attempts = await failInFlight(trx, o, now, { code: ORPHAN_UNCONFIRMED, message: reason });
    if (attempts === undefined) return false;
    await addDeadLetters(trx, [{ messageId: o.id, workspaceId: o.workspaceId, reason, errorCode: ORPHAN_UNCONFIRMED, attempts, at: now }]);
    await appendMessageEvents(trx, [{ messageId: o.id, kind: 'note', status: 'failed', at: now, detail: { reason, graceMs, code: ORPHAN_UNCONFIRMED } }]);
    return true;
  });
}

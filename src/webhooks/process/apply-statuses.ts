import type { Db } from '../../db/database.js';
import { applyStatuses } from '../../messages/apply-status.js';
import { appendMessageEvents, type MessageEventInput } from '../../messages/message-events.js';
import { isWindowClosedCode, WINDOW_CLOSED_REASON } from '../../channels/errors.js';
import type { StatusItem } from '../../channels/webhook-items.js';
import { statusToApply } from './status-plan.js';
import { storeAltIds, storeProviderId } from '../../messages/provider-id-queries.js';
import type { ApplyResults, MatchedMessage, WorkItem } from './work.js';

/** The receipt key that records pricing once per message (Meta repeats it on a later status). */
export const PRICING_RECEIPT = '#pricing';
/** Meta error: the customer stopped marketing messages from this business. */
export const MARKETING_STOPPED_CODE = '131050';
const CHUNK = 300;

export interface MatchedStatus {
  work: WorkItem;
  item: StatusItem;
  message: MatchedMessage;
  setProviderId?: { hash: string; sealed: string };
  setAltId?: { hash: string; sealed: string };
}

/**
 * A failure sets the message's error; delivery or read clears it (the customer has the message, so an
 * earlier failure report is history, kept in the events). Other statuses leave it as it is.
 */
function errorFields(item: StatusItem, error: StatusItem['errors'][number] | undefined): { errorCode?: string | null; errorMessage?: string | null } {
  // The window reason reads the same whether the provider refused the send at once or reported it later.
  if (item.status === 'failed' && isWindowClosedCode(error?.code)) return { errorCode: error!.code, errorMessage: WINDOW_CLOSED_REASON };
  if (item.status === 'failed' || item.status === 'expired') return { errorCode: error?.code ?? null, errorMessage: error?.title ?? error?.message ?? null };
  if (item.status === 'delivered' || item.status === 'read') return { errorCode: null, errorMessage: null };
  return {};
}

const receiptKey = (messageId: string, status: string) => `${messageId}\u0000${status}`;

/** Inserts receipts, returning the keys that were new (the rest were seen before). */
async function insertReceipts(db: Db, receipts: Array<{ message_id: string; status: string; received_at: number }>): Promise<Set<string>> {
  const fresh = new Set<string>();
  for (let i = 0; i < receipts.length; i += CHUNK) {
    const inserted = await db
      .insertInto('status_receipts')
      .values(receipts.slice(i, i + CHUNK))
      .onConflict((oc) => oc.columns(['message_id', 'status']).doNothing())
      .returning(['message_id', 'status'])
      .execute();
    for (const r of inserted) fresh.add(receiptKey(r.message_id, r.status));
  }
  return fresh;
}

function statusEvent(s: MatchedStatus, applied: boolean): MessageEventInput {
  const detail: Record<string, unknown> = { source: s.item.source ?? 'webhook', provider: s.item.provider, providerStatus: s.item.providerStatus, applied };
  if (s.item.errors.length) detail.errors = s.item.errors;
  if (s.item.conversation) detail.conversation = s.item.conversation;
  return { messageId: s.message.id, kind: 'status', status: s.item.status, at: s.item.at, detail };
}

function pricingEvent(s: MatchedStatus): MessageEventInput {
  const p = s.item.pricing ?? {};
  const detail: Record<string, unknown> = { billable: p.billable ?? null, pricing_model: p.pricing_model ?? null, category: p.category ?? null, type: p.type ?? null, providerStatus: s.item.providerStatus };
  if (s.item.conversation) detail.conversation = s.item.conversation;
  return { messageId: s.message.id, kind: 'pricing', at: s.item.at, detail };
}

/**
 * Applies statuses matched to messages, inside the caller's transaction: dedup by receipt, the
 * highest new status per message through `applyStatuses` (monotonic), a `status` history event per
 * new receipt (with errors), a `pricing` event once per message, `message.status` domain events for
 * changes, `contact.marketing_stopped` for error 131050, and `message.window_closed` for 131047 / 470.
 */
export async function applyMatchedStatuses(db: Db, statuses: MatchedStatus[], results: ApplyResults, now: number): Promise<void> {
  if (!statuses.length) return;
  // A stable order of writes keeps concurrent PostgreSQL workers from deadlocking on the same messages.
  const sorted = [...statuses].sort((a, b) => (a.message.id < b.message.id ? -1 : a.message.id > b.message.id ? 1 : a.item.at - b.item.at));

  for (const s of sorted) {
    if (s.setProviderId) {
      await storeProviderId(db, s.message.id, s.setProviderId, now);
    }
  }
  await storeAltIds(db, sorted.flatMap((s) => (s.setAltId ? [{ messageId: s.message.id, ...s.setAltId }] : [])), now);

  const receipts = new Map<string, { message_id: string; status: string; received_at: number }>();
  for (const s of sorted) {
    receipts.set(receiptKey(s.message.id, s.item.providerStatus), { message_id: s.message.id, status: s.item.providerStatus, received_at: now });
    if (s.item.pricing) receipts.set(receiptKey(s.message.id, PRICING_RECEIPT), { message_id: s.message.id, status: PRICING_RECEIPT, received_at: now });
  }
  const fresh = await insertReceipts(db, [...receipts.values()]);

  // The first item of each new receipt is new; later ones in the same batch are duplicates.
  const claimed = new Set<string>();
  const freshByMessage = new Map<string, MatchedStatus[]>();
  const events: MessageEventInput[] = [];
  for (const s of sorted) {
    const key = receiptKey(s.message.id, s.item.providerStatus);
    if (!fresh.has(key) || claimed.has(key)) {
      results.set(s.work, 'duplicate');
      results.statusCounts.push({ provider: s.item.provider, result: 'duplicate' });
      continue;
    }
    claimed.add(key);
    const list = freshByMessage.get(s.message.id) ?? [];
    list.push(s);
    freshByMessage.set(s.message.id, list);
    const pricingKey = receiptKey(s.message.id, PRICING_RECEIPT);
    if (s.item.pricing && fresh.has(pricingKey) && !claimed.has(pricingKey)) {
      claimed.add(pricingKey);
      events.push(pricingEvent(s));
    }
  }

  // One status per message: the highest of its new ones; all applied in a few grouped UPDATEs.
  const chosen = new Map<string, MatchedStatus>();
  for (const [messageId, list] of freshByMessage) chosen.set(messageId, statusToApply(list.map((s) => ({ s, status: s.item.status, at: s.item.at })))!.s);
  const applied = await applyStatuses(
    db,
    [...chosen].map(([messageId, s]) => ({ messageId, status: s.item.status, at: s.item.at, ...errorFields(s.item, s.item.errors[0]) })),
    now,
  );

  for (const [messageId, list] of freshByMessage) {
    const winner = chosen.get(messageId)!;
    for (const s of list) {
      const isApplied = s === winner && applied.has(messageId);
      events.push(statusEvent(s, isApplied));
      results.set(s.work, isApplied ? 'applied' : 'stale');
      results.statusCounts.push({ provider: s.item.provider, result: isApplied ? 'applied' : 'stale' });
      if (s.item.status === 'failed' && s.item.errors.some((e) => e.code === MARKETING_STOPPED_CODE) && s.message.contactId) {
        results.domainEvents.push({ type: 'contact.marketing_stopped', workspaceId: s.message.workspaceId, contactId: s.message.contactId, source: MARKETING_STOPPED_CODE, at: s.item.at });
      }
    }
    if (!applied.has(messageId)) continue;
    const m = winner.message;
    const errorCode = winner.item.status === 'failed' || winner.item.status === 'expired' ? winner.item.errors[0]?.code : undefined;
    results.domainEvents.push({
      type: 'message.status',
      workspaceId: m.workspaceId,
      messageId,
      senderId: m.senderId,
      contactId: m.contactId,
      status: winner.item.status,
      providerStatus: winner.item.providerStatus,
      ...(errorCode ? { errorCode } : {}),
      errors: winner.item.errors,
      at: winner.item.at,
    });
    if (isWindowClosedCode(errorCode)) results.domainEvents.push({ type: 'message.window_closed', workspaceId: m.workspaceId, messageId, senderId: m.senderId, contactId: m.contactId, code: errorCode!, at: winner.item.at });
  }
  await appendMessageEvents(db, events);
}

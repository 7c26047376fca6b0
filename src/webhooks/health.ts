import type { Db } from '../db/database.js';
import { oldestSendAwaitingStatus } from '../messages/awaiting-status.js';
import { listSenderNames } from '../senders/sender-queries.js';
import { MINUTE } from '../shared/time.js';

export interface SenderHealth {
  senderId: string;
  workspaceId: string;
  name: string;
  provider: string;
  lastWebhookAt: number | null;
  lastStatusWebhookAt: number | null;
  lastInboundWebhookAt: number | null;
  /** Provider event time → receipt of the most recent event, in ms. */
  lastLagMs: number | null;
  /** Raised when messages went to the provider but no status webhook came for `silenceMinutes`. */
  alarm: boolean;
  alarmReason: string | null;
}

export interface SilencePolicy {
  silenceMinutes: number;
  lookbackMinutes: number;
}

/**
 * The "provider stopped calling us" check, as a pure decision: raised when the sender's last status
 * webhook is older than the silence (or never came) and some message it sent at least that long ago,
 * within the lookback, still waits for a status.
 */
export function silenceAlarm(now: number, lastStatusWebhookAt: number | null, oldestWaitingSendAt: number | null, policy: SilencePolicy): string | null {
  const silence = policy.silenceMinutes * MINUTE;
  if (oldestWaitingSendAt === null) return null;
  if (lastStatusWebhookAt !== null && now - lastStatusWebhookAt < silence) return null;
  const since = lastStatusWebhookAt === null ? 'ever' : `${Math.floor((now - lastStatusWebhookAt) / MINUTE)} minutes`;
  return `messages were handed to the provider but no status webhook has arrived for ${since} (silence threshold ${policy.silenceMinutes} minutes)`;
}

/** Per sender number: webhook recency, lag and the silence alarm. All senders, or one workspace's. */
export async function senderHealth(db: Db, policy: SilencePolicy, now: number, workspaceId?: string): Promise<SenderHealth[]> {
  const senders = await listSenderNames(db, workspaceId);
  if (!senders.length) return [];
  let query = db.selectFrom('webhook_sender_health').select(['sender_id', 'last_webhook_at', 'last_status_at', 'last_inbound_at', 'last_lag_ms']);
  if (workspaceId) query = query.where('sender_id', 'in', senders.map((s) => s.id));
  const recency = new Map((await query.execute()).map((h) => [h.sender_id, h]));
  const out: SenderHealth[] = [];
  for (const sender of senders) {
    const h = recency.get(sender.id);
    const row = { ...sender, last_webhook_at: h?.last_webhook_at ?? null, last_status_at: h?.last_status_at ?? null, last_inbound_at: h?.last_inbound_at ?? null, last_lag_ms: h?.last_lag_ms ?? null };
    const silence = policy.silenceMinutes * MINUTE;
    let reason: string | null = null;
    // Only look at sends when status webhooks have gone quiet: the usual case costs no query.
    if (row.last_status_at === null || now - row.last_status_at >= silence) {
      const oldestWaiting = await oldestSendAwaitingStatus(db, row.id, now - policy.lookbackMinutes * MINUTE, now - silence);
      reason = silenceAlarm(now, row.last_status_at, oldestWaiting, policy);
    }
    out.push({
      senderId: row.id,
      workspaceId: row.workspace_id,
      name: row.name,
      provider: row.provider,
      lastWebhookAt: row.last_webhook_at,
      lastStatusWebhookAt: row.last_status_at,
      lastInboundWebhookAt: row.last_inbound_at,
      lastLagMs: row.last_lag_ms,
      alarm: reason !== null,
      alarmReason: reason,
    });
  }
  return out;
}

export async function logBacklog(db: Db): Promise<{ pending: number; failed: number }> {
  const rows = await db
    .selectFrom('webhook_log')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('state', 'in', ['pending', 'failed'])
    .groupBy('state')
    .execute();
  const count = (state: string) => Number(rows.find((r) => r.state === state)?.n ?? 0);
  return { pending: count('pending'), failed: count('failed') };
}

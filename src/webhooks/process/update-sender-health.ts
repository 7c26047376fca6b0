import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

export interface SenderHealthUpdate {
  senderId: string;
  lastWebhookAt: number;
  lastStatusAt: number | null;
  lastInboundAt: number | null;
  lastLagMs: number | null;
}

// Keeps the later of the stored and the new value (deliveries are processed out of order across workers).
const later = (column: string) => sql<number | null>`case when excluded.${sql.ref(column)} is not null and (webhook_sender_health.${sql.ref(column)} is null or excluded.${sql.ref(column)} > webhook_sender_health.${sql.ref(column)}) then excluded.${sql.ref(column)} else webhook_sender_health.${sql.ref(column)} end`;

/** Records when each sender's webhooks last arrived and how late the latest event was. */
export async function updateSenderHealth(db: Db, updates: SenderHealthUpdate[], now: number): Promise<void> {
  if (!updates.length) return;
  const rows = [...updates]
    .sort((a, b) => (a.senderId < b.senderId ? -1 : 1))
    .map((u) => ({ sender_id: u.senderId, last_webhook_at: u.lastWebhookAt, last_status_at: u.lastStatusAt, last_inbound_at: u.lastInboundAt, last_lag_ms: u.lastLagMs, updated_at: now }));
  await db
    .insertInto('webhook_sender_health')
    .values(rows)
    .onConflict((oc) =>
      oc.column('sender_id').doUpdateSet({
        last_webhook_at: later('last_webhook_at'),
        last_status_at: later('last_status_at'),
        last_inbound_at: later('last_inbound_at'),
        // The lag of the newest webhook wins with it.
        last_lag_ms: sql<number | null>`case when excluded.last_lag_ms is not null and (webhook_sender_health.last_webhook_at is null or excluded.last_webhook_at >= webhook_sender_health.last_webhook_at) then excluded.last_lag_ms else webhook_sender_health.last_lag_ms end`,
        updated_at: now,
      }),
    )
    .execute();
}

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Webhook ingestion metrics, registered once per Parley instance. */
export interface WebhookMetrics {
  /** Deliveries received, by provider and result (accepted, bad_signature, bad_secret, bad_request, too_large, unavailable). */
  readonly deliveries: Counter<'provider' | 'result'>;
  /** Receipt → processed, per delivery. */
  readonly processingLag: Histogram<'provider'>;
  /** Provider event time → receipt, per sender number. */
  readonly eventLag: Histogram<'sender'>;
  /** Statuses by result: applied, stale, duplicate, pending, expired. */
  readonly statuses: Counter<'provider' | 'result'>;
  /** Items by kind and result (inbound applied/duplicate, template updates, errors, ...). */
  readonly items: Counter<'kind' | 'result'>;
  /** Processed deliveries by final state (done, failed, retry). */
  readonly processed: Counter<'provider' | 'state'>;
}

export interface HealthGaugeSource {
  /** Per sender: last webhook time (ms, or null) and whether the silence alarm is raised. */
  senders(): Promise<Array<{ senderId: string; lastWebhookAt: number | null; alarm: boolean }>>;
  backlog(): Promise<{ pending: number; failed: number }>;
}

export function createWebhookMetrics(registry: Registry, health: HealthGaugeSource): WebhookMetrics {
  const registers = [registry];
  new Gauge({
    name: 'parley_webhook_last_received_timestamp_seconds',
    help: 'When the last webhook for each sender number was received (Unix seconds).',
    labelNames: ['sender'] as const,
    registers,
    async collect() {
      this.reset();
      for (const s of await health.senders().catch(() => [])) if (s.lastWebhookAt !== null) this.set({ sender: s.senderId }, s.lastWebhookAt / 1000);
    },
  });
  new Gauge({
    name: 'parley_webhook_status_silence_alarm',
    help: '1 when messages were handed to the provider but no status webhook came for the configured silence (the provider stopped calling us).',
    labelNames: ['sender'] as const,
    registers,
    async collect() {
      this.reset();
      for (const s of await health.senders().catch(() => [])) this.set({ sender: s.senderId }, s.alarm ? 1 : 0);
    },
  });
  new Gauge({
    name: 'parley_webhook_log_backlog',
    help: 'Webhook deliveries in the log by state: pending (not yet processed) and failed (kept with their error).',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      this.reset();
      const backlog = await health.backlog().catch(() => undefined);
      if (!backlog) return;
      this.set({ state: 'pending' }, backlog.pending);
      this.set({ state: 'failed' }, backlog.failed);
    },
  });
  return {
    deliveries: new Counter({ name: 'parley_webhook_deliveries_total', help: 'Webhook deliveries received, by provider and result.', labelNames: ['provider', 'result'] as const, registers }),
    processingLag: new Histogram({
      name: 'parley_webhook_processing_lag_seconds',
      help: 'Time from receiving a webhook delivery to having processed it.',
      labelNames: ['provider'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    eventLag: new Histogram({
      name: 'parley_webhook_event_lag_seconds',
      help: 'Time from the provider event (status or message timestamp) to Parley receiving its webhook, per sender number.',
      labelNames: ['sender'] as const,
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
      registers,
    }),
    statuses: new Counter({ name: 'parley_webhook_statuses_total', help: 'Status events by result: applied, stale (older than the current status), duplicate, pending (message not matchable yet), expired.', labelNames: ['provider', 'result'] as const, registers }),
    items: new Counter({ name: 'parley_webhook_items_total', help: 'Webhook items by kind and result.', labelNames: ['kind', 'result'] as const, registers }),
    processed: new Counter({ name: 'parley_webhook_processed_total', help: 'Processed webhook deliveries by final state (done, failed, retry).', labelNames: ['provider', 'state'] as const, registers }),
  };
}

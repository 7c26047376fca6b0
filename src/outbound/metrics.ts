import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Db } from '../db/database.js';
import { LANES } from '../policy/lanes.js';
import { countWaitingByLane } from '../messages/outbox-queries.js';

/** Outbound pipeline metrics (M10): lane depth, send rate per sender, provider errors, throttling, latency. */
export interface OutboundMetrics {
  sends: Counter<'sender' | 'result'>;
  providerErrors: Counter<'provider' | 'code'>;
  throttled: Counter<'sender' | 'reason'>;
  acceptToProvider: Histogram<'lane'>;
  resentAfterCrash: Counter<string>;
}

const byRegistry = new WeakMap<Registry, OutboundMetrics>();

export function outboundMetrics(registry: Registry, db: Db): OutboundMetrics {
  let metrics = byRegistry.get(registry);
  if (metrics) return metrics;
  metrics = {
    sends: new Counter({ name: 'parley_outbound_sends_total', help: 'Provider calls by sender and result (accepted, retry, failed, throttled, ...).', labelNames: ['sender', 'result'] as const, registers: [registry] }),
    providerErrors: new Counter({ name: 'parley_outbound_provider_errors_total', help: 'Provider errors by provider and code (Meta code, or adapter code).', labelNames: ['provider', 'code'] as const, registers: [registry] }),
    throttled: new Counter({ name: 'parley_outbound_throttle_waits_total', help: 'Messages held back by pacing: pair rate, provider back-pressure, tier budget.', labelNames: ['sender', 'reason'] as const, registers: [registry] }),
    acceptToProvider: new Histogram({
      name: 'parley_outbound_accept_to_provider_seconds',
      help: 'Time from accept to the provider taking the message, by lane.',
      labelNames: ['lane'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    resentAfterCrash: new Counter({ name: 'parley_outbound_resent_after_crash_total', help: 'Messages caught in flight by a crash and sent again because no provider status arrived within the grace period.', registers: [registry] }),
  };
  new Gauge({
    name: 'parley_outbound_lane_depth',
    help: 'Messages queued or scheduled, by lane.',
    labelNames: ['lane'] as const,
    registers: [registry],
    async collect() {
      const rows = await countWaitingByLane(db);
      this.reset();
      for (const lane of LANES) this.set({ lane }, Number(rows.find((r) => r.lane === lane)?.n ?? 0));
    },
  });
  byRegistry.set(registry, metrics);
  return metrics;
}

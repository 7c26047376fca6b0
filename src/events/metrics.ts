import { Counter, Histogram, type Registry } from 'prom-client';
import type { ParleyContext } from '../runtime/context.js';

export interface EventMetrics {
  /** Delivery attempts by result: delivered, retry, dead, refused (private target). */
  readonly deliveries: Counter<'result'>;
  readonly duration: Histogram<'result'>;
}

const byRegistry = new WeakMap<Registry, EventMetrics>();

/** The event-delivery metrics of one Parley instance (registered once on its registry). */
export function eventMetricsFor(ctx: ParleyContext): EventMetrics {
  const registry = ctx.metrics.registry;
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    metrics = {
      deliveries: new Counter({ name: 'parley_event_deliveries_total', help: 'Event webhook delivery attempts by result: delivered, retry, dead, refused.', labelNames: ['result'] as const, registers: [registry] }),
      duration: new Histogram({
        name: 'parley_event_delivery_duration_seconds',
        help: 'Time for a business system to answer an event delivery.',
        labelNames: ['result'] as const,
        buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [registry],
      }),
    };
    byRegistry.set(registry, metrics);
  }
  return metrics;
}

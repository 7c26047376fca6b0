import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ParleyContext } from '../runtime/context.js';
import { CONVERSATION_STATES } from './state-machine.js';
import { countOpenByState } from './cycle-store.js';

/** The conversations module's Prometheus metrics, registered once per Parley instance. */
export interface ConversationPrometheus {
  /** First response time of each resolved cycle that had one, observed when the cycle is recorded. */
  readonly firstResponse: Histogram<string>;
  /** SLA alerts recorded, by target and level. */
  readonly slaAlerts: Counter<'target' | 'level'>;
}

const byRegistry = new WeakMap<Registry, ConversationPrometheus>();

/**
 * `parley_conversations_open` is read from the database at scrape time (every process reports the
 * same; several are shown as their largest), the histogram and the counter count in the process that
 * recorded the cycle or the alert (several add up).
 */
export function conversationPrometheus(ctx: ParleyContext): ConversationPrometheus {
  const registry = ctx.metrics.registry;
  let metrics = byRegistry.get(registry);
  if (metrics) return metrics;
  new Gauge({
    name: 'parley_conversations_open',
    help: 'Conversations not resolved, by state (pending, active, escalated, snoozed).',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      // A database that does not answer must not take the whole scrape down with it: keep the last values.
      const rows = await countOpenByState(ctx.db).catch(() => undefined);
      if (!rows) return;
      this.reset();
      for (const state of CONVERSATION_STATES) if (state !== 'resolved') this.set({ state }, rows.find((r) => r.state === state)?.n ?? 0);
    },
  });
  metrics = {
    firstResponse: new Histogram({
      name: 'parley_conversation_first_response_seconds',
      help: 'Wall-clock first response time of resolved cycles (first public reply by a person − max(cycle start, hand-off)), observed when the cycle is recorded.',
      buckets: [15, 60, 300, 900, 1800, 3600, 7200, 14400, 28800, 86400, 259200],
      registers: [registry],
    }),
    slaAlerts: new Counter({ name: 'parley_sla_alerts_total', help: 'SLA alerts recorded, by target (first_response, next_response, resolution) and level (near_breach, breach).', labelNames: ['target', 'level'] as const, registers: [registry] }),
  };
  byRegistry.set(registry, metrics);
  return metrics;
}

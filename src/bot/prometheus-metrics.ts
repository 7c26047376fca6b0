import { Counter, type Registry } from 'prom-client';
import type { ParleyContext } from '../runtime/context.js';

/** The bot's Prometheus counters, registered once per Parley instance; each process counts what it did (several add up). */
export interface BotPrometheus {
  readonly started: Counter<string>;
  readonly handoffs: Counter<'reason'>;
  readonly resolved: Counter<string>;
  readonly webhookCalls: Counter<'outcome'>;
}

const byRegistry = new WeakMap<Registry, BotPrometheus>();

export function botPrometheus(ctx: ParleyContext): BotPrometheus {
  const registers = [ctx.metrics.registry];
  let metrics = byRegistry.get(ctx.metrics.registry);
  if (metrics) return metrics;
  metrics = {
    started: new Counter({ name: 'parley_bot_runs_started_total', help: 'Conversations (cycles) the bot took and started a flow in.', registers }),
    handoffs: new Counter({ name: 'parley_bot_handoffs_total', help: 'Hand-offs from the bot to people, by reason (asked_for_human, misunderstood, vip, outside_business_hours, flow, collect_failed, webhook_failed).', labelNames: ['reason'] as const, registers }),
    resolved: new Counter({ name: 'parley_bot_resolved_total', help: 'Conversations (cycles) the bot resolved without a person: contained.', registers }),
    webhookCalls: new Counter({ name: 'parley_bot_webhook_calls_total', help: 'Business webhook calls of bot flows, by outcome (ok, failed).', labelNames: ['outcome'] as const, registers }),
  };
  byRegistry.set(ctx.metrics.registry, metrics);
  return metrics;
}

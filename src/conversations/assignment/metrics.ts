import { Counter, type Registry } from 'prom-client';
import type { ParleyContext } from '../../runtime/context.js';

export interface AssignmentMetrics {
  /** Conversations the engine assigned, by the rule that chose the agent. */
  readonly assignments: Counter<'rule'>;
  /** Assignments given up under the agent's lock because the agent went offline or filled up meanwhile. */
  readonly retries: Counter;
}

const byRegistry = new WeakMap<Registry, AssignmentMetrics>();

/** The assignment engine's metrics of one Parley instance (registered once on its registry). */
export function assignmentMetricsFor(ctx: ParleyContext): AssignmentMetrics {
  const registry = ctx.metrics.registry;
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    metrics = {
      assignments: new Counter({ name: 'parley_conversation_assignments_total', help: 'Conversations assigned automatically, by rule: returning_customer, round_robin, balanced.', labelNames: ['rule'] as const, registers: [registry] }),
      retries: new Counter({ name: 'parley_conversation_assignment_retries_total', help: 'Automatic assignments looked at again because the chosen agent went offline or filled up meanwhile (another process assigned to them).', registers: [registry] }),
    };
    byRegistry.set(registry, metrics);
  }
  return metrics;
}

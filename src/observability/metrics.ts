import { AggregatorRegistry, Registry, collectDefaultMetrics, Histogram, Counter, type MetricObjectWithValues, type MetricValue } from 'prom-client';

/** Metrics of another registry (a worker thread's), as `registry.getMetricsAsJSON()` gives them. */
export type MetricsJson = Array<MetricObjectWithValues<MetricValue<string>>>;

/**
 * One Prometheus registry per running Parley (not the global one), so several instances can live
 * in one test process. Modules register their own metrics on `registry`.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly httpErrors: Counter<'code'>;
  /**
   * Other registries shown on this one's /metrics (`parley start`'s worker thread): each source
   * answers its metrics, or undefined when it cannot now.
   */
  readonly sources: Set<() => Promise<MetricsJson | undefined>>;
}

/**
 * `defaultMetrics: false` leaves out Node's process metrics (CPU, memory, event loop): a worker
 * thread shares its process with the main thread, whose registry reports them.
 */
export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const httpErrors = new Counter({
    name: 'parley_http_errors_total',
    help: 'Error responses by Parley error code.',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  return { registry, httpDuration, httpErrors, sources: new Set() };
}

/**
 * The Prometheus text of this registry and its sources together. A metric registered in several
 * adds up (counters, histograms: each thread counts its own events); a gauge registered in several
 * is read from the database by each (backlogs, sender health), so the largest reading is shown
 * rather than their sum.
 */
export async function renderMetrics(metrics: Metrics): Promise<string> {
  if (metrics.sources.size === 0) return metrics.registry.metrics();
  const lists: MetricsJson[] = [await metrics.registry.getMetricsAsJSON()];
  for (const source of metrics.sources) {
    const json = await source();
    if (json) lists.push(json);
  }
  if (lists.length === 1) return metrics.registry.metrics();
  const seen = new Map<string, number>();
  for (const list of lists) for (const m of list) seen.set(m.name, (seen.get(m.name) ?? 0) + 1);
  const adjusted = lists.map((list) =>
    list.map((m) => (String(m.type) === 'gauge' && (seen.get(m.name) ?? 0) > 1 && (m.aggregator ?? 'sum') === 'sum' ? { ...m, aggregator: 'max' as const } : m)),
  );
  return AggregatorRegistry.aggregate(adjusted).metrics();
}

import { Registry, collectDefaultMetrics, Histogram, Counter } from 'prom-client';

/**
 * One Prometheus registry per running Parley (not the global one), so several instances can live
 * in one test process. Modules register their own metrics on `registry`.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly httpErrors: Counter<'code'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
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
  return { registry, httpDuration, httpErrors };
}

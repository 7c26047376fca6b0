import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { renderMetrics } from '../observability/metrics.js';
import { isMigrated } from '../db/migrate.js';

// Liveness, readiness and metrics (M10). Unauthenticated, as orchestrators and scrapers expect.
export async function operationsRoutes(app: ParleyApp, ctx: ParleyContext) {
  app.get('/healthz', {
    config: { public: true },
    schema: { tags: ['operations'], summary: 'Liveness: the process is up.', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', {
    config: { public: true },
    schema: {
      tags: ['operations'],
      summary: 'Readiness: the database answers and every migration is applied.',
      response: {
        200: Type.Object({ status: Type.Literal('ready'), database: Type.String() }),
        503: Type.Object({ status: Type.Literal('not_ready'), reason: Type.String() }),
      },
    },
  }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(ctx.db);
    } catch (error) {
      return reply.status(503).send({ status: 'not_ready' as const, reason: `database unreachable: ${(error as Error).message}` });
    }
    if (!(await isMigrated(ctx.store))) return reply.status(503).send({ status: 'not_ready' as const, reason: 'migrations pending: run `parley migrate`' });
    return { status: 'ready' as const, database: ctx.store.dialect };
  });

  app.get('/metrics', {
    config: { public: true },
    schema: { tags: ['operations'], summary: 'Prometheus metrics (text exposition format).', produces: ['text/plain'] },
  }, async (_request, reply) => {
    reply.header('content-type', ctx.metrics.registry.contentType);
    return renderMetrics(ctx.metrics);
  });
}

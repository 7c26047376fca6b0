import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { renderMetrics } from '../observability/metrics.js';
import { isMigrated } from '../db/migrate.js';
import { listSenderHealth } from '../senders/sender-health.js';
import { SENDER_HEALTH_STATES } from '../outbound/dispatch/circuit-breaker.js';
import { StringEnum } from '../http/schemas.js';
import { registerHealthMetrics } from './health-metrics.js';

const HealthState = StringEnum(SENDER_HEALTH_STATES);
const SendersHealth = Type.Object(
  {
    ok: Type.Integer(),
    degraded: Type.Integer(),
    unreachable: Type.Integer(),
    unauthenticated: Type.Integer(),
    paused: Type.Integer(),
    attention: Type.Array(Type.Object({ id: Type.String(), state: HealthState, reason: Type.Union([Type.String(), Type.Null()]), since: Type.String() }), {
      description: 'Senders that are degraded, unreachable or unauthenticated (an UltraMsg instance to scan again).',
    }),
  },
  { description: 'Sender health, reported but not fatal: a provider being down does not make this process unready.' },
);

// Liveness, readiness and metrics (M10). Unauthenticated, as orchestrators and scrapers expect.
export async function operationsRoutes(app: ParleyApp, ctx: ParleyContext) {
  registerHealthMetrics(ctx);
  app.get('/healthz', {
    config: { public: true },
    schema: { tags: ['operations'], summary: 'Liveness: the process is up.', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', {
    config: { public: true },
    schema: {
      tags: ['operations'],
      summary: 'Readiness: the database answers, every migration is applied and the database can be written (disk not full). Sender health is reported, not fatal.',
      response: {
        200: Type.Object({ status: Type.Literal('ready'), database: Type.String(), senders: SendersHealth }),
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
    const storage = ctx.store.storage;
    if (storage?.unwritable()) {
      return reply.status(503).send({ status: 'not_ready' as const, reason: `storage full: the disk holding ${storage.file} has ${storage.freeBytes() ?? 'unknown'} bytes free (${storage.lastError}); free space, Parley recovers by itself` });
    }
    const health = await listSenderHealth(ctx.db);
    const senders = { ok: 0, degraded: 0, unreachable: 0, unauthenticated: 0, paused: 0, attention: [] as Array<{ id: string; state: (typeof SENDER_HEALTH_STATES)[number]; reason: string | null; since: string }> };
    for (const [id, h] of health) {
      senders[h.state]++;
      if (h.state === 'degraded' || h.state === 'unreachable' || h.state === 'unauthenticated') senders.attention.push({ id, state: h.state, reason: h.reason, since: new Date(h.since).toISOString() });
    }
    return { status: 'ready' as const, database: ctx.store.dialect, senders };
  });

  app.get('/metrics', {
    config: { public: true },
    schema: { tags: ['operations'], summary: 'Prometheus metrics (text exposition format).', produces: ['text/plain'] },
  }, async (_request, reply) => {
    reply.header('content-type', ctx.metrics.registry.contentType);
    return renderMetrics(ctx.metrics);
  });
}

import type { FastifyReply } from 'fastify';
import { ParleyError } from '../errors/parley-error.js';
import type { ParleyApp } from '../http/types.js';
import type { WebhookGuard } from '../channels/webhook-routes.js';
import type { ParleyContext } from '../runtime/context.js';
import { WebhookLogWriter } from './log-writer.js';
import { webhookServicesFor, type WebhookServices } from './services.js';
import { constantTimeEqual } from './signature.js';
import type { WebhookProvider } from './tables.js';

/** What the adapters' routes may ask of this module: its secrets and its sender directory. */
function guardOf(services: WebhookServices): WebhookGuard {
  return {
    matchesVerifyToken: (token) => services.secrets.matchesVerifyToken(token),
    verifySignature: (body, signature) => services.secrets.verifySignature(body, signature),
    get appSecretCount() {
      return services.secrets.appSecretCount;
    },
    async authenticateSession(sessionId, presented) {
      const sender = sessionId ? await services.directory.byInstanceId(sessionId) : undefined;
      // Compared even when something is missing, so a wrong instance and a wrong secret take the same time.
      const valid = constantTimeEqual(sender?.webhookSecret ?? '\u0000no secret', presented ?? '');
      if (!sender || !sender.webhookSecret || !presented || !valid) return undefined;
      return { senderId: sender.id };
    },
  };
}

/**
 * The provider webhook endpoints, as each channel adapter declares them (`ChannelAdapter.webhookRoutes`,
 * registered in the registry's order). They read the body as raw bytes (a buffer parser registered in
 * this encapsulated plugin only): Meta signs the exact bytes, and the log keeps them. A delivery is
 * authenticated by its route, then committed to the webhook log (group commit), then answered 200.
 */
export async function providerWebhookRoutes(app: ParleyApp, ctx: ParleyContext) {
  const services = webhookServicesFor(ctx);
  const guard = guardOf(services);
  const bodyLimit = ctx.config.webhookBodyLimit;
  const writer = new WebhookLogWriter(ctx.db, { onCommit: (count) => services.notifyCommitted(count) });
  app.addHook('onClose', () => writer.close());

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));

  const store = async (reply: FastifyReply, provider: WebhookProvider, body: Buffer, senderId: string | null, headers: Record<string, string>) => {
    try {
      await writer.append({ provider, receivedAt: ctx.clock.now(), senderId, sealedBody: services.seal.seal(body), headers });
    } catch (error) {
      services.metrics.deliveries.inc({ provider, result: 'unavailable' });
      throw new ParleyError('WEBHOOK_LOG_UNAVAILABLE', { cause: error });
    }
    services.metrics.deliveries.inc({ provider, result: 'accepted' });
    return reply.status(200).type('text/plain').send('OK');
  };

  for (const adapter of services.channels.all()) {
    const provider = adapter.provider;
    for (const route of adapter.webhookRoutes) {
      app.route({
        method: route.method,
        url: route.path,
        config: { public: true },
        ...(route.delivery ? { bodyLimit } : {}),
        schema: route.schema,
        handler: async (request, reply) => {
          const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          const answer = await route.handle({ body, headers: request.headers, query: request.query as Record<string, string | undefined> }, guard);
          if (answer.kind === 'reply') return reply.status(200).type('text/plain').send(answer.text);
          if (answer.kind === 'refuse') {
            if (answer.result) services.metrics.deliveries.inc({ provider, result: answer.result });
            throw answer.error;
          }
          return store(reply, provider, body, answer.senderId, answer.headers);
        },
      });
    }
  }
}

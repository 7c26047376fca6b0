import Fastify, { LogController, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ParleyError } from '../errors/parley-error.js';
import { newId } from '../shared/ids.js';
import { Authenticator } from '../workspaces/authenticator.js';
import type { ParleyContext } from '../runtime/context.js';
import { makeErrorHandler } from './error-handler.js';
import type { ParleyApp } from './types.js';
import { ROUTE_MODULES } from './route-modules.js';
import { lazySerializerFactory, lazyValidatorFactory } from './lazy-compilers.js';
import { lazyChildLogger } from '../observability/lazy-child-logger.js';
import { forgetAcceptFacts } from '../outbound/accept-facts.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const LAZY_SCHEMAS = { compilersFactory: { buildValidator: lazyValidatorFactory, buildSerializer: lazySerializerFactory } } as unknown as FastifyServerOptions['schemaController'];

export interface BuildAppOptions {
  /**
   * Compile every route's schemas while booting (Fastify's default) instead of on each route's first
   * request. Off for the running service, where it takes about a quarter off the time to ready; the
   * schema test turns it on.
   */
  compileSchemasAtBoot?: boolean;
}

/**
 * Builds the HTTP app without listening, so tests use `app.inject()` and the runtime calls
 * `app.listen()`. Every route module in `route-modules.ts` is registered here.
 */
export async function buildApp(ctx: ParleyContext, options: BuildAppOptions = {}): Promise<ParleyApp> {
  const app = Fastify({
    ...(options.compileSchemasAtBoot ? {} : { schemaController: LAZY_SCHEMAS }),
    loggerInstance: ctx.logger,
    childLoggerFactory: lazyChildLogger,
    bodyLimit: ctx.config.bodyLimit,
    // genReqId reads x-request-id itself, so an unsafe incoming value is replaced rather than echoed.
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : newId('req');
    },
    // Per-request lines are off (1,000 requests/s would drown the logs); failures are logged below.
    logController: new LogController({ requestIdLogLabel: 'request_id', disableRequestLogging: true }),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
    routerOptions: { ignoreTrailingSlash: true },
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as ParleyApp;

  app.setErrorHandler(makeErrorHandler(ctx.metrics));
  app.setNotFoundHandler((request, reply) => {
    const error = new ParleyError('ROUTE_NOT_FOUND', { message: `No endpoint ${request.method} ${request.url.split('?')[0]}.` });
    return reply.status(404).send(error.toBody(request.id));
  });

  // Least privilege: a /v1 or gateway route that names no scope is a programming error, caught at boot.
  app.addHook('onRoute', (route) => {
    const url = route.url;
    const needsScope = url.startsWith('/v1/') || url.startsWith('/graph/');
    if (needsScope && !route.config?.scope && !route.config?.public) {
      throw new Error(`Route ${route.method} ${url} must declare config.scope (or config.public).`);
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    const scope = request.routeOptions.config?.scope;
    if (!scope) return;
    const auth = await ctx.authenticator.authenticate(request.headers.authorization);
    Authenticator.require(auth, scope);
    request.auth = auth;
  });

  // Any write through the API but a send (sender, template, policy, key changes) takes effect for
  // the next accept at once: the facts accepts reuse for a second are forgotten before the answer.
  app.addHook('onSend', async (request, _reply, payload) => {
    const scope = request.routeOptions.config?.scope;
    if (scope && scope !== 'messages:write' && !READ_METHODS.has(request.method)) {
      forgetAcceptFacts(ctx);
      if (scope === 'keys:write' || scope === 'admin') ctx.authenticator.forgetKeys();
    }
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    ctx.metrics.httpDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500) request.log.warn({ status: reply.statusCode, route }, 'request failed');
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Parley API',
        version: '1',
        description: 'Self-hosted WhatsApp conversations: send, receive, consent, templates. Authenticate with `Authorization: Bearer <api key>`.',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A Parley API key (prl_...)' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });

  for (const register of ROUTE_MODULES) await app.register(async (scoped) => register(scoped as ParleyApp, ctx));

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}

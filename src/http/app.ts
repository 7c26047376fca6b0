import Fastify, { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import cookie from '@fastify/cookie';
import csrfProtection from '@fastify/csrf-protection';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ParleyError } from '../errors/parley-error.js';
import { newId } from '../shared/ids.js';
import { keyPrincipal, requirePermission } from '../access/authorize.js';
import { SESSION_COOKIE, authenticateSession } from '../access/sessions/session-principal.js';
import { MINUTE } from '../shared/time.js';
import type { ParleyContext } from '../runtime/context.js';
import { makeErrorHandler } from './error-handler.js';
import type { AppParts, ParleyApp } from './types.js';
import { lazySerializerFactory, lazyValidatorFactory } from './lazy-compilers.js';
import { lazyChildLogger } from '../observability/lazy-child-logger.js';
import { parleyInputRules, secureRouteSchema } from './input-rules.js';
import { RouteBodyLimits, answerExpectContinue } from './expect-continue.js';
import { auditDeclarationProblem, auditedAction, recordRouteAudit, type RequestAuditDetails } from './audit.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const LAZY_SCHEMAS = { compilersFactory: { buildValidator: lazyValidatorFactory, buildSerializer: lazySerializerFactory } } as unknown as FastifyServerOptions['schemaController'];

/** The router's own errors: a path that does not decode, a path parameter over the length limit. */
function routerError(error: { code?: string; message: string }): ParleyError {
  if (error.code === 'FST_ERR_BAD_URL') return new ParleyError('REQUEST_INVALID', { message: 'The URL path holds a percent-encoding that is not valid UTF-8.', field: '/', details: { location: 'params' } });
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return new ParleyError('REQUEST_INVALID', { message: 'A path parameter is longer than 100 characters.', field: '/', details: { location: 'params' } });
  return new ParleyError('REQUEST_INVALID', { message: error.message });
}

/**
 * The query string parser turns percent-encodings that are not valid UTF-8 (a lone surrogate's
 * bytes, say) into replacement characters or leaves them as they are; either way the client sent
 * something else than it meant, so it is refused, as in the path.
 */
function checkQueryEncoding(url: string): void {
  const q = url.indexOf('?');
  if (q < 0 || url.indexOf('%', q) < 0) return;
  try {
    // A '%' not followed by two hex digits is a literal '%' to the parser, and is left alone here.
    decodeURIComponent(url.slice(q + 1).replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
  } catch {
    throw new ParleyError('REQUEST_INVALID', { message: 'The query string holds a percent-encoding that is not valid UTF-8.', field: '/', details: { location: 'querystring' } });
  }
}

/** The cookie holding the secret CSRF tokens are made from (the token itself goes in a header). */
export const CSRF_COOKIE = 'parley_csrf';

/** Runs the CSRF plugin's check; on a refusal it has answered already (through the error handler). */
function csrfPasses(app: ParleyApp, request: FastifyRequest, reply: FastifyReply): boolean {
  let passed = false;
  app.csrfProtection(request, reply, () => {
    passed = true;
  });
  return passed;
}

export interface BuildAppOptions {
  /**
   * Compile every route's schemas while booting (Fastify's default) instead of on each route's first
   * request. Off for the running service, where it takes about a quarter off the time to ready; the
   * schema test turns it on.
   */
  compileSchemasAtBoot?: boolean;
}

/**
 * Builds the HTTP app without listening, so tests use `app.inject()` and `main/run.ts` calls
 * `app.listen()`. Its `parts` are the modules' routes (each registered in its own scope) and what they
 * forget after an API write, assembled by the composition root (`main/modules.ts`).
 */
export async function buildApp(ctx: ParleyContext, parts: AppParts, options: BuildAppOptions = {}): Promise<ParleyApp> {
  const app = Fastify({
    ...(options.compileSchemasAtBoot ? {} : { schemaController: LAZY_SCHEMAS }),
    loggerInstance: ctx.logger,
    childLoggerFactory: lazyChildLogger,
    bodyLimit: ctx.config.bodyLimit,
    // Behind a reverse proxy, the client's address and protocol come from X-Forwarded-For / -Proto.
    trustProxy: ctx.config.trustProxy,
    // genReqId reads x-request-id itself, so an unsafe incoming value is replaced rather than echoed.
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : newId('req');
    },
    // Per-request lines are off (1,000 requests/s would drown the logs); failures are logged below.
    logController: new LogController({ requestIdLogLabel: 'request_id', disableRequestLogging: true }),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false }, plugins: [parleyInputRules] },
    routerOptions: { ignoreTrailingSlash: true },
    forceCloseConnections: 'idle',
    // Errors the router raises before any route runs, in Parley's error body rather than Fastify's.
    frameworkErrors: (error, request, reply) => {
      const parleyError = routerError(error);
      reply.header('x-request-id', request.id);
      return (reply as FastifyReply).status(parleyError.status).send(parleyError.toBody(request.id));
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as ParleyApp;

  app.setErrorHandler(makeErrorHandler(ctx.metrics));

  // Console sessions: cookies are parsed before the authentication hook below runs. A write made with
  // the session cookie carries a CSRF token bound to the session (docs/decisions/0016-console-sign-in.md).
  await app.register(cookie);
  await app.register(csrfProtection, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true },
    getUserInfo: (request) => request.consoleSession?.id ?? '',
    csrfOpts: { hmacKey: ctx.keyring.systemKey('csrf') },
  });
  const sessionIdleMs = ctx.config.sessionIdleMinutes * MINUTE;
  app.setNotFoundHandler((request, reply) => {
    const error = new ParleyError('ROUTE_NOT_FOUND', { message: `No endpoint ${request.method} ${request.url.split('?')[0]}.` });
    return reply.status(404).send(error.toBody(request.id));
  });

  // `Expect: 100-continue` with a Content-Length over the route's limit: 413 before the body is sent.
  const bodyLimits = new RouteBodyLimits(ctx.config.bodyLimit);
  answerExpectContinue(app.server, bodyLimits, (code) => ctx.metrics.httpErrors.inc({ code }));

  // Audit trail: a handler adds what only it knows to its route's entry (`http/audit.ts`).
  app.decorateRequest('auditDetails', null);
  app.decorateRequest('audit', function (this: FastifyRequest, details: RequestAuditDetails | false) {
    this.auditDetails = details;
  });

  // Least privilege: a /v1 or gateway route that names no permission is a programming error, caught at boot.
  // So is a write there that names no audit action (or why it records none).
  app.addHook('onRoute', (route) => {
    bodyLimits.add(route.method, route.url, route.bodyLimit);
    const url = route.url;
    const needsPermission = url.startsWith('/v1/') || url.startsWith('/graph/');
    if (needsPermission && !route.config?.permission && !route.config?.public) {
      throw new Error(`Route ${route.method} ${url} must declare config.permission (or config.public).`);
    }
    const auditProblem = auditDeclarationProblem(route.config?.audit);
    if (auditProblem) throw new Error(`Route ${route.method} ${url}: ${auditProblem}.`);
    const writes = [route.method].flat().some((method) => !READ_METHODS.has(method));
    if (needsPermission && writes && route.config?.audit === undefined) {
      throw new Error(`Route ${route.method} ${url} changes something, so it must declare config.audit (its audit action, or { unaudited: reason }).`);
    }
    // Input rules (input-rules.ts): every string refuses control characters and lone surrogates,
    // every number has bounds, every path parameter is described. A route that breaks them is a
    // programming error, caught at boot.
    if (url.replaceAll('::', '').includes(':') && !route.schema?.params) throw new Error(`Route ${route.method} ${url} must describe its path parameters (schema.params).`);
    const problems = secureRouteSchema(route.schema as Record<string, unknown> | undefined);
    if (problems.length) throw new Error(`Route ${route.method} ${url} has unbounded numbers (give each a minimum and a maximum): ${problems.join('; ')}.`);
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    checkQueryEncoding(request.url);
    const permission = request.routeOptions.config?.permission;
    if (!permission) return;
    // No Authorization header but a session cookie: a signed-in person.
    const sessionToken = request.headers.authorization === undefined ? request.cookies[SESSION_COOKIE] : undefined;
    if (sessionToken !== undefined) {
      const signedIn = await authenticateSession(ctx.db, sessionToken, sessionIdleMs, ctx.clock.now());
      if (!signedIn) throw new ParleyError('SESSION_MISSING');
      request.consoleSession = signedIn.session;
      if (!READ_METHODS.has(request.method) && !csrfPasses(app, request, reply)) return reply;
      requirePermission(signedIn.principal, permission);
      request.principal = signedIn.principal;
      return;
    }
    const auth = await ctx.authenticator.authenticate(request.headers.authorization);
    const principal = keyPrincipal(auth);
    requirePermission(principal, permission);
    request.auth = auth;
    request.principal = principal;
  });

  // Any write through the API but a send (sender, template, policy, key changes) takes effect at
  // once: what modules cache from the database (`afterWrite`, e.g. the facts accepts reuse for a
  // second) is forgotten before the answer.
  app.addHook('onSend', async (request, reply, payload) => {
    // A route's audit entry is committed before its successful answer leaves (errors change nothing;
    // a HEAD answer shows nothing).
    const action = auditedAction(request.routeOptions.config?.audit);
    if (action && reply.statusCode >= 200 && reply.statusCode < 300 && request.method !== 'HEAD') await recordRouteAudit(ctx, request, action);
    const permission = request.routeOptions.config?.permission;
    const sends = permission === 'messages.send' || permission === 'messages.cancel';
    if (permission && !sends && !READ_METHODS.has(request.method)) {
      for (const forget of parts.afterWrite ?? []) forget(ctx);
      if (permission === 'keys.manage') ctx.authenticator.forgetKeys();
    }
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    ctx.metrics.httpDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    // 503s (database unreachable, disk full) are logged once per episode where they are detected, not per request.
    if (reply.statusCode >= 500 && reply.statusCode !== 503) request.log.warn({ status: reply.statusCode, route }, 'request failed');
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

  for (const register of parts.routes) await app.register(async (scoped) => register(scoped as ParleyApp, ctx));

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}

import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ParleyApp } from '../http/types.js';
import { CONSOLE_BUILD_DIR, PACKAGE_ROOT, consoleBuilt, consoleTarget } from './console-files.js';
import { NOT_BUILT_PAGE } from './not-built-page.js';

/** The console's own code and the API on the same origin; nothing from elsewhere, no inline script. */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/** `GET /console/...`: the built console, with the app's page for its client-side routes; `/` sends browsers there. */
export async function consoleRoutes(app: ParleyApp) {
  // Files are sent with an explicit folder on each call: the package root is only the plugin's required default.
  await app.register(fastifyStatic, { root: PACKAGE_ROOT, serve: false, cacheControl: false, index: false });

  const page = (reply: FastifyReply) => reply.headers({ ...SECURITY_HEADERS, 'cache-control': 'no-cache' }).sendFile('index.html', CONSOLE_BUILD_DIR);

  async function serve(request: FastifyRequest<{ Params: { '*'?: string } }>, reply: FastifyReply) {
    if (!consoleBuilt(CONSOLE_BUILD_DIR)) {
      return reply.status(503).headers({ ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).send(NOT_BUILT_PAGE);
    }
    const target = consoleTarget(CONSOLE_BUILD_DIR, request.params['*'] ?? '');
    if (target.kind === 'page') return page(reply);
    if (target.kind === 'missing') return reply.callNotFound();
    const cacheControl = target.immutable ? 'public, max-age=31536000, immutable' : 'no-cache';
    return reply.headers({ ...SECURITY_HEADERS, 'cache-control': cacheControl }).sendFile(target.file, CONSOLE_BUILD_DIR);
  }

  app.get('/console', { schema: { hide: true } }, serve);
  app.get('/console/*', { schema: { hide: true } }, serve);

  // A browser opening the server's address lands on the console; API clients keep the JSON 404.
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const accept = request.headers.accept ?? '';
    if (accept.includes('text/html')) return reply.redirect('/console/', 302);
    return reply.callNotFound();
  });
}

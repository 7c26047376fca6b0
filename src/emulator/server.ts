import Fastify, { type FastifyInstance } from 'fastify';
import { registerCloudRoutes } from './cloud/routes.js';
import { MetaError } from './cloud/errors.js';
import { registerControlRoutes } from './control/routes.js';
import type { EmulatorCore } from './core.js';
import { registerUltraMsgFileRoute } from './ultramsg/media-files.js';
import { registerUltraMsgRoutes } from './ultramsg/routes.js';

const MB = 1024 * 1024;

/**
 * The emulator's own HTTP server (a Fastify instance separate from Parley's app): the Cloud API at the root
 * (versioned `/v23.0/...` and unversioned, like Graph),
 * UltraMsg under `/{instance_id}/`, the control API under `/_emulator/`. No request logging: it must answer
 * thousands of sends per second.
 */
export function buildEmulatorServer(core: EmulatorCore): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: 4 * MB,
    forceCloseConnections: true,
    keepAliveTimeout: 65_000,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 512 },
  });

  // UltraMsg clients post form-encoded bodies; Meta's media upload is multipart (parsed in the route).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: 101 * MB }, (_req, body, done) => done(null, body));

  // UltraMsg paths start with one of its instance ids; every other path outside the control API is Graph's,
  // versioned or not, and is answered in Meta's error envelope.
  const surfaceOf = (url: string) => {
    if (url.startsWith('/_emulator')) return 'control';
    const first = url.split('?')[0].split('/')[1] ?? '';
    return core.config.ultramsgInstances.some((i) => i.instanceId === first) ? 'ultramsg' : 'cloud';
  };

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) core.onError(error);
    const surface = surfaceOf(request.url);
    if (surface === 'cloud') {
      const meta = new MetaError(status >= 500 ? 1 : 100, error.message, { status });
      return reply.status(status).send(meta.toBody());
    }
    return reply.status(status).send({ error: error.message });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    if (surfaceOf(request.url) === 'cloud') {
      return reply.status(400).send(new MetaError(2500, undefined, { message: `Unknown path components: ${path}`, errorData: false }).toBody());
    }
    return reply.status(404).send({ error: `No endpoint ${request.method} ${path}` });
  });

  registerControlRoutes(app, core);
  registerCloudRoutes(app, core);
  registerUltraMsgRoutes(app, core);
  registerUltraMsgFileRoute(app, core);
  return app;
}

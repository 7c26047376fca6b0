import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorCore } from '../core.js';
import type { UltraMsgInstance } from '../types.js';

/**
 * Finds the request's instance and checks its `token` (query string or body, JSON or form-encoded), as
 * UltraMsg does: an unknown instance is HTTP 404 `{"error":"Instance not found"}`, a wrong token HTTP 401.
 * Answers and returns undefined when either is wrong; otherwise the instance and the merged parameters.
 */
export function authorizeUltraMsg(core: EmulatorCore, request: FastifyRequest<{ Params: { instanceId: string } }>, reply: FastifyReply): { instance: UltraMsgInstance; params: Record<string, unknown> } | undefined {
  const instance = core.instance(request.params.instanceId);
  if (!instance) {
    reply.status(404).send({ error: 'Instance not found' });
    return undefined;
  }
  const params = { ...(request.query as Record<string, unknown>), ...(typeof request.body === 'object' && request.body && !Buffer.isBuffer(request.body) ? (request.body as Record<string, unknown>) : {}) };
  if (params.token !== core.config.ultramsgToken) {
    reply.status(401).send({ error: 'Wrong token. Please provide token as a GET parameter.' });
    return undefined;
  }
  return { instance, params };
}

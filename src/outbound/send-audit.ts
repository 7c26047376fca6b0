import type { FastifyRequest } from 'fastify';
import { requestActor, requestOrigin } from '../http/audit.js';
import type { AcceptAudit } from './accept-write.js';

/** Who asks for a send through the API and from where, for its `message.accepted` audit entry. */
export function sendAudit(request: FastifyRequest): AcceptAudit {
  const actor = requestActor(request);
  if (!actor) throw new Error('A send through the API needs an authenticated request.');
  return { actor, origin: requestOrigin(request) };
}

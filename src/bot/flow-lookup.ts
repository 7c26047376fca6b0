import type { FastifyRequest } from 'fastify';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { getFlow, type StoredFlow } from './flow-store.js';

/** What a flow id looks like (`newId`): anything else is left to the route's schema to refuse. */
const FLOW_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Looks up the flow a route's `:id` names before its body and query are validated, so another
 * workspace's flow (or none) is 404 FLOW_NOT_FOUND whatever else the request says. Registers the hook
 * in the routes' scope and returns the handlers' way to the flow found.
 */
export function lookUpFlows(app: ParleyApp, ctx: ParleyContext): (request: FastifyRequest) => StoredFlow {
  const found = new WeakMap<FastifyRequest, StoredFlow>();
  app.addHook('preValidation', async (request) => {
    const id = (request.params as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string' || !FLOW_ID.test(id) || !request.principal) return;
    const flow = await getFlow(ctx.db, request.principal.workspaceId, id);
    if (!flow) throw new ParleyError('FLOW_NOT_FOUND');
    found.set(request, flow);
  });
  return (request) => {
    const flow = found.get(request);
    if (!flow) throw new ParleyError('FLOW_NOT_FOUND');
    return flow;
  };
}

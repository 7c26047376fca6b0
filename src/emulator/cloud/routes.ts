import type { FastifyInstance } from 'fastify';
import type { EmulatorCore } from '../core.js';
import { drawFault } from '../faults.js';
import { checkToken, graphPaths } from './auth.js';
import { MetaError } from './errors.js';
import { registerMediaRoutes } from './media-routes.js';
import { registerObjectRoutes } from './object-routes.js';
import { handleMessages } from './send-message.js';
import { registerTemplateRoutes } from './templates/routes.js';

/** The Cloud API surface, at the root like graph.facebook.com (`/{version}/...`, and unversioned). */
export function registerCloudRoutes(app: FastifyInstance, core: EmulatorCore): void {
  for (const url of graphPaths('/:phoneNumberId/messages')) app.post<{ Params: { phoneNumberId: string } }>(url, async (request, reply) => {
    const { phoneNumberId } = request.params;
    try {
      checkToken(core, request);
    } catch (error) {
      if (!(error instanceof MetaError)) throw error;
      core.state.received.push({ at: core.clock.now(), surface: 'cloud', method: 'POST', path: `/${phoneNumberId}/messages`, target: phoneNumberId, body: request.body, status: error.status, errorCode: error.code });
      return reply.status(error.status).send(error.toBody());
    }
    const fault = drawFault(core.config.faults, core.random);
    if (fault.kind === 'error') {
      core.state.stats.faultsInjected++;
      core.state.countError(fault.error.code);
      core.state.received.push({ at: core.clock.now(), surface: 'cloud', method: 'POST', path: `/${phoneNumberId}/messages`, target: phoneNumberId, body: request.body, status: fault.error.status, errorCode: fault.error.code, fault: fault.name });
      return reply.status(fault.error.status).send(fault.error.toBody());
    }
    if (fault.kind === 'timeout') {
      core.state.stats.faultsInjected++;
      if (fault.processed) handleMessages(core, phoneNumberId, request.body);
      else core.state.received.push({ at: core.clock.now(), surface: 'cloud', method: 'POST', path: `/${phoneNumberId}/messages`, target: phoneNumberId, body: request.body, status: 0, fault: 'timeout' });
      reply.hijack();
      core.timers.after(fault.afterMs, () => request.raw.socket?.destroy());
      return;
    }
    const answer = handleMessages(core, phoneNumberId, request.body);
    if (fault.slowMs) {
      core.state.stats.faultsInjected++;
      await new Promise((resolve) => setTimeout(resolve, fault.slowMs));
    }
    return reply.status(answer.status).send(answer.body);
  });
  registerTemplateRoutes(app, core);
  registerMediaRoutes(app, core);
  registerObjectRoutes(app, core);
}

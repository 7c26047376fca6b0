import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorCore } from '../core.js';
import type { UltraMsgInstance } from '../types.js';
import { queueFor } from './queue.js';
import type { UltraMsgMessage, UltraMsgStatus } from './types.js';

/** Finds the instance and checks the token (`routes.ts`); answers and returns undefined when either is wrong. */
export type UltraMsgAuthorize = (request: FastifyRequest<{ Params: { instanceId: string } }>, reply: FastifyReply) => { instance: UltraMsgInstance; params: Record<string, unknown> } | undefined;

/** The statuses UltraMsg lets you resend: messages that never left the instance. */
const RESENDABLE: ReadonlySet<UltraMsgStatus> = new Set(['unsent', 'expired']);

/**
 * `POST /{instance}/messages/resendByStatus` (status = unsent | expired) and `POST /{instance}/messages/resendById`
 * (id = the numeric send id). UltraMsg's blog names both; the answer's shape is not published, so the
 * emulator answers like `messages/clear` (`{"success": "<n> messages resent"}`) and reports problems in
 * the body with HTTP 200, as UltraMsg does for parameters. A resent message joins the queue again with
 * its id, reference and priority; its 24 hours start over.
 */
export function registerUltraMsgResendRoutes(app: FastifyInstance, core: EmulatorCore, authorize: UltraMsgAuthorize): void {
  const resend = (messages: UltraMsgMessage[]) => {
    const now = core.clock.now();
    for (const m of messages) {
      m.status = 'queue';
      m.ack = '';
      m.sentAt = null;
      m.queuedAt = now;
      const instance = core.instance(m.instanceId);
      if (instance) queueFor(core, instance).push(m);
    }
    return { success: `${messages.length} messages resent` };
  };

  app.post<{ Params: { instanceId: string } }>('/:instanceId/messages/resendByStatus', async (request, reply) => {
    const auth = authorize(request, reply);
    if (!auth) return reply;
    const status = String(auth.params.status ?? '');
    if (!status) return { error: [{ status: 'is required' }] };
    if (!RESENDABLE.has(status as UltraMsgStatus)) return { error: [{ status: 'must be unsent or expired' }] };
    const matches = [...core.state.ultramsgMessages.values()].filter((m) => m.instanceId === auth.instance.instanceId && m.status === status);
    return resend(matches);
  });

  app.post<{ Params: { instanceId: string } }>('/:instanceId/messages/resendById', async (request, reply) => {
    const auth = authorize(request, reply);
    if (!auth) return reply;
    const id = String(auth.params.id ?? '').trim();
    if (!id) return { error: [{ id: 'is required' }] };
    const message = core.state.ultramsgMessages.get(Number(id));
    if (!message || message.instanceId !== auth.instance.instanceId) return { error: `message ${id} not found` };
    if (!RESENDABLE.has(message.status)) return { error: `message ${id} is ${message.status}: only unsent or expired messages can be resent` };
    return resend([message]);
  });
}

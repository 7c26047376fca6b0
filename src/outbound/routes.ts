import { Type } from '@sinclair/typebox';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { toParleyError } from '../http/error-handler.js';
import { ErrorBody } from '../http/schemas.js';
import { SendMessageBody } from './content-schema.js';
import { acceptMessage, refusalError } from './accept.js';
import { AcceptedView } from '../messages/message-view.js';
import { sendAudit } from './send-audit.js';

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Same key and body: the original answer. Same key, other body: 409.' })),
});

/** Batch items accepted at once (a batch uses a few database connections, not one per item). */
const BATCH_CONCURRENCY = 8;

const BatchItem = Type.Composite([SendMessageBody, Type.Object({ idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) })], { additionalProperties: false });

// The send API (M1.2): accept one message or a batch. Reading, cancelling and listing them is the
// messages module's (`messages/routes.ts`).
export async function sendRoutes(app: ParleyApp, ctx: ParleyContext) {
  const security = [{ apiKey: [] }];

  app.post('/v1/messages', {
    config: { permission: 'messages.send', audit: { action: 'message.accepted', inTransaction: true } },
    schema: {
      tags: ['messages'],
      summary: 'Send a message. It is committed to the outbox before the answer; statuses follow.',
      description: 'Payload objects (`text`, `template`, `image`, `interactive`, ...) use the WhatsApp Cloud API shape. The 24-hour window, validity, suppressions and other gates run now and again at dispatch.',
      security,
      headers: IdempotencyHeaders,
      body: SendMessageBody,
      response: { 202: AcceptedView, 200: AcceptedView, 422: ErrorBody },
    },
  }, async (request, reply) => {
    const result = await acceptMessage(ctx, ctx.gates, { workspaceId: request.principal!.workspaceId, body: request.body, idempotencyKey: request.headers['idempotency-key'], audit: sendAudit(request) });
    if (result.outcome === 'refused') throw refusalError(result.view);
    if (result.replayed) reply.header('idempotent-replayed', 'true');
    return reply.status(202).send(result.view);
  });

  app.post('/v1/messages::batch', {
    config: { permission: 'messages.send', audit: { action: 'message.accepted', inTransaction: true } },
    schema: {
      tags: ['messages'],
      summary: 'Send up to 1,000 messages; each gets its own result (one bad item does not fail the others).',
      security,
      body: Type.Object({ messages: Type.Array(BatchItem, { minItems: 1 }) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          accepted: Type.Integer(),
          rejected: Type.Integer(),
          results: Type.Array(Type.Object({ index: Type.Integer(), status: Type.Integer(), message: Type.Optional(AcceptedView), error: Type.Optional(ErrorBody.properties.error) })),
        }),
      },
    },
  }, async (request) => {
    if (request.body.messages.length > 1000) throw new ParleyError('BATCH_TOO_LARGE', { details: { size: request.body.messages.length } });
    type Result = { index: number; status: number; message?: AcceptedView; error?: ReturnType<ParleyError['toBody']>['error'] };
    const results: Result[] = new Array(request.body.messages.length);
    const audit = sendAudit(request);
    const acceptOne = async (index: number) => {
      const { idempotencyKey, ...body } = request.body.messages[index];
      try {
        const result = await acceptMessage(ctx, ctx.gates, { workspaceId: request.principal!.workspaceId, body, idempotencyKey, audit });
        if (result.outcome === 'refused') throw refusalError(result.view);
        results[index] = { index, status: 202, message: result.view };
      } catch (error) {
        const e = toParleyError(error);
        if (e.status >= 500) throw error;
        results[index] = { index, status: e.status, error: e.toBody(request.id).error };
      }
    };
    // Recipients are accepted concurrently, each recipient's messages in order (order per recipient).
    const byRecipient = new Map<string, number[]>();
    request.body.messages.forEach((m, i) => {
      const key = m.contactId ?? m.to ?? `#${i}`;
      byRecipient.set(key, [...(byRecipient.get(key) ?? []), i]);
    });
    const queues = [...byRecipient.values()];
    await Promise.all(
      Array.from({ length: Math.min(BATCH_CONCURRENCY, queues.length) }, async () => {
        for (let queue = queues.shift(); queue; queue = queues.shift()) for (const index of queue) await acceptOne(index);
      }),
    );
    const accepted = results.filter((r) => r.status === 202).length;
    return { accepted, rejected: results.length - accepted, results };
  });
}

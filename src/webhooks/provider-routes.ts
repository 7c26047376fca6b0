import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { ParleyError } from '../errors/parley-error.js';
import type { ParleyApp } from '../http/types.js';
import { normalizeInstanceId, ultramsgDeliveryInstanceId } from '../channels/sender-identity.js';
import type { ParleyContext } from '../runtime/context.js';
import { PayloadError } from '../channels/webhook-items.js';
import { WebhookLogWriter } from './log-writer.js';
import { webhookServicesFor } from './services.js';
import { constantTimeEqual } from './signature.js';
import type { WebhookProvider } from './tables.js';

/** The header an UltraMsg webhook may carry its secret in, instead of `?secret=`. */
export const ULTRAMSG_SECRET_HEADER = 'x-parley-webhook-secret';

const Ok = Type.String({ description: 'OK' });

/**
 * The provider webhook endpoints. They read the body as raw bytes (a buffer parser registered in
 * this encapsulated plugin only): Meta signs the exact bytes, and the log keeps them. A delivery is
 * authenticated, then committed to the webhook log (group commit), then answered 200.
 */
export async function providerWebhookRoutes(app: ParleyApp, ctx: ParleyContext) {
  const services = webhookServicesFor(ctx);
  const bodyLimit = ctx.config.webhookBodyLimit;
  const writer = new WebhookLogWriter(ctx.db, { onCommit: (count) => services.notifyCommitted(count) });
  app.addHook('onClose', () => writer.close());

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));

  const store = async (reply: FastifyReply, provider: WebhookProvider, body: Buffer, senderId: string | null, headers: Record<string, string>) => {
    try {
      await writer.append({ provider, receivedAt: ctx.clock.now(), senderId, sealedBody: services.seal.seal(body), headers });
    } catch (error) {
      services.metrics.deliveries.inc({ provider, result: 'unavailable' });
      throw new ParleyError('WEBHOOK_LOG_UNAVAILABLE', { cause: error });
    }
    services.metrics.deliveries.inc({ provider, result: 'accepted' });
    return reply.status(200).type('text/plain').send('OK');
  };

  app.get('/webhooks/whatsapp/cloud', {
    config: { public: true },
    schema: {
      tags: ['webhooks'],
      summary: 'Meta Cloud API verification handshake: echoes hub.challenge when hub.verify_token matches PARLEY_WHATSAPP_VERIFY_TOKEN.',
      querystring: Type.Object({
        'hub.mode': Type.Optional(Type.String()),
        'hub.verify_token': Type.Optional(Type.String()),
        'hub.challenge': Type.Optional(Type.String()),
      }),
      produces: ['text/plain'],
    },
  }, async (request, reply) => {
    const query = request.query;
    if (query['hub.mode'] !== 'subscribe' || !services.secrets.matchesVerifyToken(query['hub.verify_token']) || query['hub.challenge'] === undefined) {
      throw new ParleyError('WEBHOOK_VERIFY_TOKEN_MISMATCH');
    }
    return reply.status(200).type('text/plain').send(query['hub.challenge']);
  });

  app.post('/webhooks/whatsapp/cloud', {
    config: { public: true },
    bodyLimit,
    schema: {
      tags: ['webhooks'],
      summary: 'Meta Cloud API webhook deliveries. X-Hub-Signature-256 must match a configured app secret (else 401, nothing stored); the delivery is durably logged before the 200.',
      description:
        'Any signed body is stored and answered 200, even one Parley cannot read (it is kept with its error, so Meta does not retry it for days). Unsigned or wrongly signed: 401. Larger than PARLEY_WEBHOOK_BODY_LIMIT_BYTES: 413.',
      headers: Type.Object({ 'x-hub-signature-256': Type.Optional(Type.String({ description: 'sha256=<hex HMAC-SHA256 of the raw body, keyed by the app secret>' })) }),
      produces: ['text/plain'],
      response: { 200: Ok },
    },
  }, async (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const signature = request.headers['x-hub-signature-256'];
    if (!services.secrets.verifySignature(body, typeof signature === 'string' ? signature : undefined)) {
      services.metrics.deliveries.inc({ provider: 'cloud', result: 'bad_signature' });
      throw new ParleyError('WEBHOOK_SIGNATURE_INVALID', services.secrets.appSecretCount === 0 ? { message: 'No Meta app secret is configured, so no delivery can be verified. Set PARLEY_WHATSAPP_APP_SECRETS.' } : {});
    }
    return store(reply, 'cloud', body, null, { 'content-type': String(request.headers['content-type'] ?? ''), 'x-hub-signature-256': String(signature) });
  });

  app.post('/webhooks/whatsapp/ultramsg', {
    config: { public: true },
    bodyLimit,
    schema: {
      tags: ['webhooks'],
      summary: 'UltraMsg webhook deliveries (JSON, or a form with the JSON in `data`), authenticated by the sender\'s webhook secret in `?secret=` or the X-Parley-Webhook-Secret header, and by `instanceId`.',
      querystring: Type.Object({ secret: Type.Optional(Type.String({ description: 'The sender\'s webhook secret.' })) }),
      produces: ['text/plain'],
      response: { 200: Ok },
    },
  }, async (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const contentType = String(request.headers['content-type'] ?? '');
    let instanceId: string | undefined;
    try {
      instanceId = ultramsgDeliveryInstanceId(body, contentType);
    } catch (error) {
      services.metrics.deliveries.inc({ provider: 'ultramsg', result: 'bad_request' });
      // Unauthenticated content is not stored: without the instance, the secret cannot be checked.
      throw new ParleyError('WEBHOOK_PAYLOAD_INVALID', { message: error instanceof PayloadError ? error.message : 'The body cannot be read.' });
    }
    const header = request.headers[ULTRAMSG_SECRET_HEADER];
    const presented = request.query.secret ?? (typeof header === 'string' ? header : undefined);
    const sender = instanceId ? await services.directory.byInstanceId(instanceId) : undefined;
    // Compared even when something is missing, so a wrong instance and a wrong secret take the same time.
    const valid = constantTimeEqual(sender?.webhookSecret ?? '\u0000no secret', presented ?? '');
    if (!sender || !sender.webhookSecret || !presented || !valid) {
      services.metrics.deliveries.inc({ provider: 'ultramsg', result: 'bad_secret' });
      throw new ParleyError('WEBHOOK_SECRET_INVALID', instanceId ? {} : { message: 'The delivery has no instanceId, so its secret cannot be checked.' });
    }
    return store(reply, 'ultramsg', body, sender.id, { 'content-type': contentType, 'x-ultramsg-instance': normalizeInstanceId(instanceId!) });
  });
}

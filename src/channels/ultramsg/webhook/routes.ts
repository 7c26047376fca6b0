import { Type } from '@sinclair/typebox';
import { ParleyError } from '../../../errors/parley-error.js';
import { PayloadError } from '../../webhook-items.js';
import { str } from '../../read-json.js';
import type { WebhookRoute } from '../../webhook-routes.js';
import { normalizeInstanceId, parseUltraMsgBody } from './parse-body.js';

/** The header an UltraMsg webhook may carry its secret in, instead of `?secret=`. */
export const ULTRAMSG_SECRET_HEADER = 'x-parley-webhook-secret';

const Ok = Type.String({ description: 'OK' });

/**
 * The UltraMsg instance a delivery names (`instanceId`), which picks the sender whose webhook secret
 * authenticates it; throws `PayloadError` when the body cannot be read.
 */
const deliveryInstanceId = (body: Buffer, contentType: string): string | undefined => str(parseUltraMsgBody(body, contentType).instanceId);

/** UltraMsg's deliveries, authenticated by the instance they name and that sender's webhook secret. */
export const ULTRAMSG_WEBHOOK_ROUTES: readonly WebhookRoute[] = [
  {
    method: 'POST',
    path: '/webhooks/whatsapp/ultramsg',
    delivery: true,
    schema: {
      tags: ['webhooks'],
      summary: 'UltraMsg webhook deliveries (JSON, or a form with the JSON in `data`), authenticated by the sender\'s webhook secret in `?secret=` or the X-Parley-Webhook-Secret header, and by `instanceId`.',
      querystring: Type.Object({ secret: Type.Optional(Type.String({ description: 'The sender\'s webhook secret.' })) }),
      produces: ['text/plain'],
      response: { 200: Ok },
    },
    async handle({ body, headers, query }, guard) {
      const contentType = String(headers['content-type'] ?? '');
      let instanceId: string | undefined;
      try {
        instanceId = deliveryInstanceId(body, contentType);
      } catch (error) {
        // Unauthenticated content is not stored: without the instance, the secret cannot be checked.
        return { kind: 'refuse', error: new ParleyError('WEBHOOK_PAYLOAD_INVALID', { message: error instanceof PayloadError ? error.message : 'The body cannot be read.' }), result: 'bad_request' };
      }
      const header = headers[ULTRAMSG_SECRET_HEADER];
      const sender = await guard.authenticateSession(instanceId, query.secret ?? (typeof header === 'string' ? header : undefined));
      if (!sender) {
        return { kind: 'refuse', error: new ParleyError('WEBHOOK_SECRET_INVALID', instanceId ? {} : { message: 'The delivery has no instanceId, so its secret cannot be checked.' }), result: 'bad_secret' };
      }
      return { kind: 'store', senderId: sender.senderId, headers: { 'content-type': contentType, 'x-ultramsg-instance': normalizeInstanceId(instanceId!) } };
    },
  },
];

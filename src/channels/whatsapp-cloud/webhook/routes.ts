import { Type } from '@sinclair/typebox';
import { ParleyError } from '../../../errors/parley-error.js';
import type { WebhookRoute } from '../../webhook-routes.js';

const Ok = Type.String({ description: 'OK' });

/** Meta's subscription handshake and its signed deliveries (`X-Hub-Signature-256` over the raw body). */
export const CLOUD_WEBHOOK_ROUTES: readonly WebhookRoute[] = [
  {
    method: 'GET',
    path: '/webhooks/whatsapp/cloud',
    delivery: false,
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
    async handle({ query }, guard) {
      if (query['hub.mode'] !== 'subscribe' || !guard.matchesVerifyToken(query['hub.verify_token']) || query['hub.challenge'] === undefined) {
        return { kind: 'refuse', error: new ParleyError('WEBHOOK_VERIFY_TOKEN_MISMATCH') };
      }
      return { kind: 'reply', text: query['hub.challenge'] };
    },
  },
  {
    method: 'POST',
    path: '/webhooks/whatsapp/cloud',
    delivery: true,
    schema: {
      tags: ['webhooks'],
      summary: 'Meta Cloud API webhook deliveries. X-Hub-Signature-256 must match a configured app secret (else 401, nothing stored); the delivery is durably logged before the 200.',
      description:
        'Any signed body is stored and answered 200, even one Parley cannot read (it is kept with its error, so Meta does not retry it for days). Unsigned or wrongly signed: 401. Larger than PARLEY_WEBHOOK_BODY_LIMIT_BYTES: 413.',
      headers: Type.Object({ 'x-hub-signature-256': Type.Optional(Type.String({ description: 'sha256=<hex HMAC-SHA256 of the raw body, keyed by the app secret>' })) }),
      produces: ['text/plain'],
      response: { 200: Ok },
    },
    async handle({ body, headers }, guard) {
      const signature = headers['x-hub-signature-256'];
      if (!guard.verifySignature(body, typeof signature === 'string' ? signature : undefined)) {
        const error = new ParleyError('WEBHOOK_SIGNATURE_INVALID', guard.appSecretCount === 0 ? { message: 'No Meta app secret is configured, so no delivery can be verified. Set PARLEY_WHATSAPP_APP_SECRETS.' } : {});
        return { kind: 'refuse', error, result: 'bad_signature' };
      }
      return { kind: 'store', senderId: null, headers: { 'content-type': String(headers['content-type'] ?? ''), 'x-hub-signature-256': String(signature) } };
    },
  },
];

import { Type } from '@sinclair/typebox';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { HttpPools } from '../channels/http-pools.js';
import { UltraMsgInstanceClient } from '../channels/ultramsg/client/instance-client.js';
import type { ProviderError } from '../channels/port.js';
import { senderSettingsFields } from '../channels/sender-identity.js';
import { getSender, senderCredentials } from './sender-queries.js';

const QrView = Type.Object({
  senderId: Type.String(),
  instanceId: Type.String(),
  status: Type.Object({ status: Type.String(), substatus: Type.String() }, { description: 'The instance\'s `instance/status` when the QR code was read.' }),
  qr: Type.String({ description: 'The QR code as a `data:image/png;base64,…` URL (an <img> source). It changes often: ask again rather than keeping it.' }),
});

/** A provider answer that is not a QR code: the caller's stored credentials, or the provider itself. */
function providerFailure(error: ProviderError, what: string): ParleyError {
  if (error.code === 'ultramsg_auth' || error.code === 'ultramsg_instance' || error.code === 'ultramsg_suspended') return new ParleyError('SENDER_CREDENTIALS_REFUSED', { message: `UltraMsg refused ${what}: ${error.title}` });
  return new ParleyError('SENDER_PROVIDER_UNAVAILABLE', { message: `UltraMsg did not answer ${what}: ${error.title}` });
}

/**
 * `GET /v1/senders/{id}/qr`: the QR code that links an UltraMsg instance to the business phone, read
 * live from UltraMsg (`instance/status`, then `instance/qr`); nothing is stored. Scope `senders:write`:
 * whoever scans the code links their phone to the sender and sends as the business.
 */
export async function senderQrRoutes(app: ParleyApp, ctx: ParleyContext) {
  const pools = new HttpPools(4);
  const client = new UltraMsgInstanceClient(pools);
  app.addHook('onClose', () => pools.close());

  app.get('/v1/senders/:id/qr', {
    config: { scope: 'senders:write' },
    schema: {
      tags: ['senders'],
      summary: 'The QR code to scan to link an UltraMsg sender\'s instance to the business phone (while the instance is logged out).',
      description: 'Read live from UltraMsg. 409 `SENDER_ALREADY_AUTHENTICATED` when the instance is authenticated, 409 `SENDER_QR_UNAVAILABLE` when it shows no code (starting, phone offline), 422 `SENDER_HAS_NO_QR` for a Cloud API sender. Sender health `unauthenticated` says when a scan is needed.',
      security: [{ apiKey: [] }],
      params: Type.Object({ id: Type.String() }),
      response: { 200: QrView },
    },
  }, async (request, reply) => {
    const sender = await getSender(ctx.db, request.params.id, request.auth!.workspaceId);
    if (!sender) throw new ParleyError('SENDER_NOT_FOUND');
    const { instanceId } = senderSettingsFields(sender);
    if (sender.provider !== 'ultramsg' || !instanceId) throw new ParleyError('SENDER_HAS_NO_QR', { message: `Sender ${sender.id} is a ${sender.provider === 'cloud' ? 'Cloud API' : sender.provider} sender: only UltraMsg senders are linked by QR code.` });
    const credentials = await senderCredentials(ctx.db, ctx.keyring, sender);
    const status = await client.status(sender, credentials);
    if (!status.ok) throw providerFailure(status.error, 'the instance status');
    if (status.status.status.trim().toLowerCase() === 'authenticated') {
      throw new ParleyError('SENDER_ALREADY_AUTHENTICATED', { message: `UltraMsg instance ${instanceId} is authenticated (substatus "${status.status.substatus}"): there is no QR code to scan.`, details: { status: status.status } });
    }
    const qr = await client.qr(sender, credentials);
    if (!qr.ok && qr.noQr) throw new ParleyError('SENDER_QR_UNAVAILABLE', { message: `UltraMsg instance ${instanceId} shows no QR code (status "${status.status.status}"): ${qr.error.title}`, details: { status: status.status } });
    if (!qr.ok) throw providerFailure(qr.error, 'the QR code request');
    reply.header('cache-control', 'no-store');
    return { senderId: sender.id, instanceId, status: status.status, qr: `data:image/png;base64,${qr.png.toString('base64')}` };
  });
}

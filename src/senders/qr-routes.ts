import { Type } from '@sinclair/typebox';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { HttpPools } from '../channels/http-pools.js';
import { createChannelRegistry } from '../channels/registry.js';
import { providerLabel } from '../channels/provider-name.js';
import type { LinkedSession, ProviderError } from '../channels/port.js';
import { getSender, senderCredentials } from './sender-queries.js';

const QrView = Type.Object({
  senderId: Type.String(),
  instanceId: Type.String(),
  status: Type.Object({ status: Type.String(), substatus: Type.String() }, { description: 'The instance\'s `instance/status` when the QR code was read.' }),
  qr: Type.String({ description: 'The QR code as a `data:image/png;base64,…` URL (an <img> source). It changes often: ask again rather than keeping it.' }),
});

/** A provider answer that is not a QR code: the caller's stored credentials, or the provider itself. */
function providerFailure(session: LinkedSession, label: string, error: ProviderError, what: string): ParleyError {
  if (session.refusesCredentials(error)) return new ParleyError('SENDER_CREDENTIALS_REFUSED', { message: `${label} refused ${what}: ${error.title}` });
  return new ParleyError('SENDER_PROVIDER_UNAVAILABLE', { message: `${label} did not answer ${what}: ${error.title}` });
}

/**
 * `GET /v1/senders/{id}/qr`: the QR code that links an UltraMsg instance to the business phone, read
 * live from UltraMsg (`instance/status`, then `instance/qr`); nothing is stored. Scope `senders:write`:
 * whoever scans the code links their phone to the sender and sends as the business.
 */
export async function senderQrRoutes(app: ParleyApp, ctx: ParleyContext) {
  const pools = new HttpPools(4);
  const channels = createChannelRegistry(pools, ctx.config);
  app.addHook('onClose', () => pools.close());

  app.get('/v1/senders/:id/qr', {
    config: { permission: 'senders.manage' },
    schema: {
      tags: ['senders'],
      summary: 'The QR code to scan to link an UltraMsg sender\'s instance to the business phone (while the instance is logged out).',
      description: 'Read live from UltraMsg. 409 `SENDER_ALREADY_AUTHENTICATED` when the instance is authenticated, 409 `SENDER_QR_UNAVAILABLE` when it shows no code (starting, phone offline), 422 `SENDER_HAS_NO_QR` for a Cloud API sender. Sender health `unauthenticated` says when a scan is needed.',
      security: [{ apiKey: [] }],
      params: Type.Object({ id: Type.String() }),
      response: { 200: QrView },
    },
  }, async (request, reply) => {
    const sender = await getSender(ctx.db, request.params.id, request.principal!.workspaceId);
    if (!sender) throw new ParleyError('SENDER_NOT_FOUND');
    const session = channels.forSender(sender).session;
    const sessionId = session?.sessionId(sender);
    const label = providerLabel(sender.provider);
    if (!session || !sessionId) throw new ParleyError('SENDER_HAS_NO_QR', { message: `Sender ${sender.id} is a ${label} sender: only UltraMsg senders are linked by QR code.` });
    const credentials = await senderCredentials(ctx.db, ctx.keyring, sender);
    const status = await session.status(sender, credentials);
    if (!status.ok) throw providerFailure(session, label, status.error, 'the instance status');
    if (session.attention(status.status, sender.id) === null) {
      throw new ParleyError('SENDER_ALREADY_AUTHENTICATED', { message: `${session.sessionLabel(sender)} is authenticated (substatus "${status.status.substatus}"): there is no QR code to scan.`, details: { status: status.status } });
    }
    const qr = await session.qr(sender, credentials);
    if (!qr.ok && qr.noQr) throw new ParleyError('SENDER_QR_UNAVAILABLE', { message: `${session.sessionLabel(sender)} shows no QR code (status "${status.status.status}"): ${qr.error.title}`, details: { status: status.status } });
    if (!qr.ok) throw providerFailure(session, label, qr.error, 'the QR code request');
    reply.header('cache-control', 'no-store');
    return { senderId: sender.id, instanceId: sessionId, status: status.status, qr: `data:image/png;base64,${qr.png.toString('base64')}` };
  });
}

import type { OutboundRequest } from '../../port.js';

/** The JSON body of `POST /{version}/{phone_number_id}/messages` for one outbound message. Pure. */
export function cloudMessageBody(request: OutboundRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: request.to.replace(/^\+/, ''),
    type: request.type,
    [request.type]: request.payload,
    // Echoed in every status webhook: lets Parley match a status even if it crashed before storing the wamid.
    biz_opaque_callback_data: request.messageId,
  };
  if (request.replyToProviderId) body.context = { message_id: request.replyToProviderId };
  return body;
}

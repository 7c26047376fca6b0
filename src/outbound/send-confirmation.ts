import { ParleyError } from '../errors/parley-error.js';
import type { SendConfirmation } from '../consent/send-confirmation.js';
import { acceptMessage } from './accept.js';

/**
 * The consent module's SendConfirmation port, implemented by the outbound module and wired at the
 * composition root (`main/modules.ts`): the confirmation is accepted like any other message (free-form text, lane `conversation`, from the number
 * the customer wrote to, replying inside the window their message opened), so it goes through the
 * policy gates, the outbox and the dispatcher, and its decisions are in its history. The dedup key is
 * the Idempotency-Key: a redelivered opt-out finds the message already accepted and queues nothing.
 * A confirmation the outbound module cannot take (no usable sender, a recipient without a number)
 * is logged, not thrown: the consent change it confirms is already recorded.
 */
export const sendConfirmationViaOutbound: SendConfirmation = async (ctx, input) => {
  try {
    const result = await acceptMessage(ctx, ctx.gates, {
      workspaceId: input.workspaceId,
      idempotencyKey: input.dedupKey,
      body: {
        contactId: input.contactId,
        from: input.senderId,
        lane: 'conversation',
        type: 'text',
        text: { body: input.text },
        metadata: { consentConfirmation: input.reason, language: input.language },
      },
    });
    if (result.outcome === 'refused' && !result.replayed) {
      ctx.logger.warn({ contactId: input.contactId, messageId: result.view.id, decisions: result.view.decisions }, 'consent confirmation refused by a policy gate');
    }
  } catch (error) {
    // The same key with another body: the confirmation was accepted before (the text can differ if
    // the contact's language changed in between). Idempotent by key, so nothing more to do.
    if (error instanceof ParleyError && error.code === 'IDEMPOTENCY_CONFLICT') return;
    if (error instanceof ParleyError) {
      ctx.logger.warn({ contactId: input.contactId, code: error.code }, 'consent confirmation could not be accepted');
      return;
    }
    throw error;
  }
};

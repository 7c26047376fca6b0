import { appendMessageEvents } from '../messages/message-events.js';
import { STATUS_RANK } from '../messages/status.js';
import { newId } from '../shared/ids.js';
import { DAY } from '../shared/time.js';
import type { SendConfirmation } from './send-confirmation.js';

// The conversation lane's rank (lanes: otp 0 > transactional 1 > conversation 2 > marketing 3).
const CONVERSATION_LANE_PRIORITY = 2;

/**
 * A SendConfirmation that writes the confirmation into the outbox: an outbound `messages` row,
 * `queued`, lane `conversation`, type `text`, its body encrypted as `{"text":{"body":...}}`, purpose
 * `service` (a reply to the customer's own message, inside the window it opened), idempotency key =
 * the dedup key, which the schema makes unique per workspace. The outbound dispatcher sends it like
 * any other queued message, through the gates. Valid for one day: the window the customer's message
 * opened lasts 24 hours, and a confirmation later than that would be noise.
 */
export const queueConfirmationInOutbox: SendConfirmation = async (ctx, input) => {
  const now = ctx.clock.now();
  const id = newId('msg', now);
  const inserted = await ctx.db
    .insertInto('messages')
    .values({
      id,
      workspace_id: input.workspaceId,
      direction: 'outbound',
      channel: 'whatsapp',
      sender_id: input.senderId,
      contact_id: input.contactId,
      category: 'conversation',
      lane_priority: CONVERSATION_LANE_PRIORITY,
      type: 'text',
      content: await ctx.keyring.encrypt(input.workspaceId, JSON.stringify({ text: { body: input.text } })),
      template_name: null,
      template_language: null,
      intent: 'consent.confirmation',
      status: 'queued',
      status_rank: STATUS_RANK.queued,
      status_at: now,
      provider_message_id: null,
      idempotency_key: input.dedupKey,
      request_hash: null,
      send_at: now,
      valid_until: now + DAY,
      next_attempt_at: now,
      claimed_by: null,
      claimed_at: null,
      error_code: null,
      error_message: null,
      metadata: JSON.stringify({ purpose: 'service', consentConfirmation: input.reason, language: input.language }),
      reply_to: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'idempotency_key']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
    await appendMessageEvents(ctx.db, [{ messageId: id, kind: 'status', status: 'queued', at: now, detail: { by: 'consent', reason: input.reason } }]);
  }
};

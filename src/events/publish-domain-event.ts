import type { Db } from '../db/database.js';
import type { DomainEvent } from '../domain-events/events.js';
import { orderingKeys, publishEvent } from './publish-event.js';
import { isEventType } from './event-types.js';

/**
 * The event webhooks as a subscriber of the domain events, run in the publishing transaction: the
 * domain events business systems can subscribe to are put in the outbox (`publishEvent`) with the
 * fact that made them true. The `data` of each type is documented in README.md ("Event webhooks").
 */
export async function publishDomainEventWebhook(db: Db, event: DomainEvent, now: number): Promise<void> {
  switch (event.type) {
    case 'message.status':
      await publishEvent(
        db,
        {
          workspaceId: event.workspaceId,
          type: 'message.status',
          // One message's statuses reach each subscriber in order, numbered (README: "Event webhooks").
          orderingKey: orderingKeys.message(event.messageId),
          data: {
            messageId: event.messageId,
            senderId: event.senderId,
            contactId: event.contactId,
            status: event.status,
            providerStatus: event.providerStatus,
            at: new Date(event.at).toISOString(),
            errors: event.errors,
          },
        },
        now,
      );
      return;
    case 'message.inbound':
      await publishEvent(
        db,
        {
          workspaceId: event.workspaceId,
          type: 'message.inbound',
          // A customer's messages to one number reach each subscriber in the order they were written.
          orderingKey: orderingKeys.conversation(event.senderId, event.contactId, event.messageId),
          data: {
            messageId: event.messageId,
            senderId: event.senderId,
            contactId: event.contactId,
            type: event.messageType,
            text: event.text ?? null,
            buttonPayload: event.buttonPayload ?? null,
            content: event.content,
            replyTo: event.replyTo ?? null,
            receivedAt: new Date(event.receivedAt).toISOString(),
          },
        },
        now,
      );
      return;
    case 'template.alert':
      await publishEvent(db, { workspaceId: event.workspaceId, type: 'template.alert', data: { alert: event.alert, templateId: event.templateId, intentId: event.intentId, ...event.data } }, now);
      return;
    case 'sender.health':
      await publishEvent(
        db,
        {
          workspaceId: event.workspaceId,
          type: 'sender.health',
          data: { senderId: event.senderId, state: event.state, previous: event.previous, reason: event.reason, since: new Date(event.at).toISOString(), ...event.detail },
        },
        now,
      );
      return;
    case 'conversation.changed':
      // Every conversation event type is listed in EVENT_TYPES (a test compares the two lists).
      if (!isEventType(event.event)) return;
      await publishEvent(
        db,
        {
          workspaceId: event.workspaceId,
          type: event.event,
          // With the customer's messages (`message.inbound`): what happens between one customer and one
          // number reaches each subscriber in order.
          orderingKey: orderingKeys.conversation(event.senderId, event.contactId, event.conversationId),
          // Ids, states and who acted; never what the customer or the agent wrote.
          data: {
            conversationId: event.conversationId,
            senderId: event.senderId,
            contactId: event.contactId,
            seq: event.seq,
            state: event.state,
            owner: { type: event.ownerType, userId: event.ownerUserId },
            teamId: event.teamId,
            actor: event.actor,
            reason: event.reason,
            cycle: event.cycle,
            detail: event.data,
            at: new Date(event.at).toISOString(),
          },
        },
        now,
      );
      return;
    default:
      return;
  }
}

import type { Keyring } from '../crypto/keyring.js';
import type { ParleyContext } from './context.js';

/**
 * Domain events: facts one module announces and others react to, in-process, while the announcing
 * work is being processed from a durable log (so handlers run at least once and must be idempotent).
 * Business systems hear about them through the signed event webhooks (`src/events/`).
 */
export type DomainEvent =
  | {
      type: 'message.inbound';
      workspaceId: string;
      senderId: string;
      contactId: string;
      messageId: string;
      /** Normalized inbound type: text, image, location, button, interactive, reaction, order, system, unsupported, ... */
      messageType: string;
      /** The text the customer typed, if any (text body, caption). */
      text?: string;
      /** Payload of a tapped quick-reply or interactive button/list row, if any. */
      buttonPayload?: string;
      /**
       * `text` and `buttonPayload` sealed with the workspace's data key (`sealInboundWords`). The queue
       * table stores only this form (`storedDomainEvent`): the customer's words never sit there in clear.
       */
      sealed?: string;
      receivedAt: number;
    }
  | {
      type: 'message.status';
      workspaceId: string;
      messageId: string;
      contactId: string | null;
      status: string;
      errorCode?: string;
      at: number;
    }
  | {
      /**
       * The provider reported a message failed because the customer's 24-hour window was closed (131047,
       * legacy 470) in a `failed` status webhook, after accepting it.
       */
      type: 'message.window_closed';
      workspaceId: string;
      messageId: string;
      senderId: string | null;
      contactId: string | null;
      code: string;
      at: number;
      /** `webhook` (Meta's way), or `send` when the provider refused the send itself with the code. */
      source?: 'webhook' | 'send';
    }
  | {
      type: 'template.status';
      wabaId: string;
      templateId?: string;
      name: string;
      language: string;
      event: string;
      reason?: string | null;
      detail: Record<string, unknown>;
      at: number;
    }
  | {
      type: 'template.quality';
      wabaId: string;
      templateId?: string;
      name: string;
      language: string;
      previousScore?: string;
      newScore: string;
      at: number;
    }
  | {
      type: 'phone_number.quality';
      senderId: string;
      event: string;
      currentLimit?: string;
      detail: Record<string, unknown>;
      at: number;
    }
  | {
      type: 'contact.marketing_stopped';
      workspaceId: string;
      contactId: string;
      /** `131050` (provider error) or `user_preferences` (webhook). */
      source: string;
      at: number;
    };

export type DomainEventType = DomainEvent['type'];
export type DomainEventHandler<T extends DomainEventType = DomainEventType> = (ctx: ParleyContext, event: Extract<DomainEvent, { type: T }>) => Promise<void>;

/** Handlers by event type. Modules register theirs in `runtime/domain-event-handlers.ts`. */
export type DomainEventHandlers = { [T in DomainEventType]?: Array<DomainEventHandler<T>> };

/** Runs every handler for the event; one handler's failure does not stop the others, and is reported. */
export async function emitDomainEvent(ctx: ParleyContext, handlers: DomainEventHandlers, event: DomainEvent): Promise<Error[]> {
  const list = (handlers[event.type] ?? []) as Array<DomainEventHandler>;
  const failures: Error[] = [];
  for (const handler of list) {
    try {
      await handler(ctx, event as never);
    } catch (error) {
      failures.push(error as Error);
      ctx.logger.error({ err: error, event: event.type }, 'domain event handler failed');
    }
  }
  return failures;
}

/** The customer's words of an inbound message, sealed for the domain event queue. */
export function sealInboundWords(keyring: Keyring, workspaceId: string, words: { text?: string; buttonPayload?: string }): Promise<string> {
  return keyring.encrypt(workspaceId, JSON.stringify(words));
}

/** An event as the queue table stores it: without the customer's words in clear (they travel in `sealed`). */
export function storedDomainEvent(event: DomainEvent): DomainEvent {
  if (event.type !== 'message.inbound' || (event.text === undefined && event.buttonPayload === undefined)) return event;
  const { text: _text, buttonPayload: _payload, ...rest } = event;
  return rest;
}

/** An event read back from the queue table, its sealed words opened again. */
export async function restoredDomainEvent(keyring: Keyring, event: DomainEvent): Promise<DomainEvent> {
  if (event.type !== 'message.inbound' || !event.sealed) return event;
  const words = JSON.parse(await keyring.decrypt(event.workspaceId, event.sealed)) as { text?: string; buttonPayload?: string };
  return { ...event, ...(words.text !== undefined ? { text: words.text } : {}), ...(words.buttonPayload !== undefined ? { buttonPayload: words.buttonPayload } : {}) };
}

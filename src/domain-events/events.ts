/**
 * Domain events: facts one module announces and others react to. Published with the transaction that
 * made the fact true (`DomainEventBus.publish`); subscribers are registered at the composition root
 * (the modules' manifests, assembled in `main/modules.ts`). Not to be confused with a message's history (`message_events`,
 * owned by `messages/`) or with the event webhooks business systems receive (`events/`), which are one
 * subscriber of these.
 */
export type DomainEvent =
  | {
      type: 'message.inbound';
      workspaceId: string;
      senderId: string;
      /** Null when the sender's number could not be linked to a contact. */
      contactId: string | null;
      messageId: string;
      /** Normalized inbound type: text, image, location, button, interactive, reaction, order, system, unsupported, ... */
      messageType: string;
      /** The text the customer typed, if any (text body, caption). */
      text?: string;
      /** Payload of a tapped quick-reply or interactive button/list row, if any. */
      buttonPayload?: string;
      /**
       * The normalized content, for subscribers that run in the publishing transaction only: the queue
       * of events for after-commit handlers does not store it (`storedDomainEvent`).
       */
      content?: Record<string, unknown>;
      /** The message this one replies to (null: none known). Set on every event published since the bus. */
      replyTo?: string | null;
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
      senderId: string | null;
      contactId: string | null;
      status: string;
      /** The provider's own word for the status. */
      providerStatus: string;
      errorCode?: string;
      /** The provider's errors as normalized, passed on as they are. */
      errors: readonly unknown[];
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
      /**
       * A template's provider status or quality score changed, as stored (`templates/status/apply-provider-fact.ts`):
       * what the console's templates pages show, carried to them by the live stream.
       */
      type: 'template.changed';
      workspaceId: string;
      templateId: string;
      providerStatus: string | null;
      quality: string | null;
      at: number;
    }
  | {
      /** An alert for people was raised about a template or an intent (`templates/alerts/emit-alert.ts`). */
      type: 'template.alert';
      workspaceId: string;
      /** `template.paused`, `variant.halted`, ... (`TemplateAlert.type`). */
      alert: string;
      templateId: string | null;
      intentId: string | null;
      data: Record<string, unknown>;
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
      /** A sender's recorded health changed (`senders/sender-health.ts`). */
      type: 'sender.health';
      workspaceId: string;
      senderId: string;
      state: string;
      previous: string;
      reason: string | null;
      detail: Record<string, unknown>;
      at: number;
    }
  | {
      /**
       * A conversation changed (`conversations/`): one event per entry of its history, with its place in
       * the workspace's sequence (`seq`, the live stream's event id). Ids and states only, never words.
       */
      type: 'conversation.changed';
      workspaceId: string;
      conversationId: string;
      /** The sender number and the contact the conversation is between. */
      senderId: string;
      contactId: string;
      seq: number;
      /** `conversation.opened`, `conversation.assigned`, ... (`conversations/state-machine.ts`). */
      event: string;
      actor: string;
      reason: string | null;
      teamId: string | null;
      cycle: number;
      state: string;
      ownerType: string;
      ownerUserId: string | null;
      data: Record<string, unknown>;
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

import type { Db } from '../db/database.js';
import type { AfterCommitHandlers, DomainEventSubscribers, InTransactionSubscriber } from '../domain-events/bus.js';
import type { ParleyContext } from './context.js';
import { publishDomainEventWebhook } from '../events/publish-domain-event.js';
import { onTemplateQuality, onTemplateStatus } from '../templates/status/status-handlers.js';
import { onInboundOptOut, onMarketingStopped } from '../templates/variants/optout-handler.js';
import { createOptOutHandlers } from '../consent/opt-out-handlers.js';
import { sendConfirmationViaOutbound } from '../consent/send-confirmation-via-outbound.js';
import { onWindowClosed } from '../outbound/window-closed.js';

// Consent (M2): opt-out / opt-in keywords and buttons, and WhatsApp's marketing-stop signals. The
// confirmation is accepted by the outbound module (gates, outbox, dispatcher) through the
// SendConfirmation port.
const optOut = createOptOutHandlers(sendConfirmationViaOutbound);

/** Subscribers that run in the publishing transaction, in this order. Add yours to the list. */
export const IN_TRANSACTION_SUBSCRIBERS: Array<InTransactionSubscriber<Db>> = [
  // The signed event webhooks business systems subscribe to: their outbox commits with the fact.
  publishDomainEventWebhook,
];

/** Every module's after-commit reactions to domain events, by type. Append yours to the list for the type. */
export const DOMAIN_EVENT_HANDLERS: AfterCommitHandlers<ParleyContext> = {
  'message.inbound': [optOut.inbound, onInboundOptOut],
  'message.status': [],
  'message.window_closed': [onWindowClosed],
  'template.status': [onTemplateStatus],
  'template.quality': [onTemplateQuality],
  'template.alert': [],
  'phone_number.quality': [],
  'sender.health': [],
  'contact.marketing_stopped': [optOut.marketingStopped, onMarketingStopped],
};

/** The domain event bus's subscribers (`createContext` builds the bus with them). */
export const DOMAIN_EVENT_SUBSCRIBERS: DomainEventSubscribers<Db, ParleyContext> = { inTransaction: IN_TRANSACTION_SUBSCRIBERS, afterCommit: DOMAIN_EVENT_HANDLERS };

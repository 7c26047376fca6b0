import type { DomainEventHandlers } from './domain-events.js';
import { createOptOutHandlers } from '../consent/opt-out-handlers.js';
import { queueConfirmationInOutbox } from '../consent/queue-confirmation.js';

// Consent (M2): opt-out / opt-in keywords and buttons, and WhatsApp's marketing-stop signals. The
// confirmation is queued in the outbox (`queueConfirmationInOutbox`); any SendConfirmation the
// outbound module offers can replace it here.
const optOut = createOptOutHandlers(queueConfirmationInOutbox);

/** Every module's reactions to domain events, by type. Append yours to the list for the type. */
export const DOMAIN_EVENT_HANDLERS: DomainEventHandlers = {
  'message.inbound': [optOut.inbound],
  'message.status': [],
  'template.status': [],
  'template.quality': [],
  'phone_number.quality': [],
  'contact.marketing_stopped': [optOut.marketingStopped],
};

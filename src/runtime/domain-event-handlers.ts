import type { DomainEventHandlers } from './domain-events.js';
import { onTemplateQuality, onTemplateStatus } from '../templates/status/status-handlers.js';
import { onInboundOptOut, onMarketingStopped } from '../templates/variants/optout-handler.js';
import { createOptOutHandlers } from '../consent/opt-out-handlers.js';
import { sendConfirmationViaOutbound } from '../consent/send-confirmation-via-outbound.js';
import { onWindowClosed } from '../outbound/window-closed.js';

// Consent (M2): opt-out / opt-in keywords and buttons, and WhatsApp's marketing-stop signals. The
// confirmation is accepted by the outbound module (gates, outbox, dispatcher) through the
// SendConfirmation port.
const optOut = createOptOutHandlers(sendConfirmationViaOutbound);

/** Every module's reactions to domain events, by type. Append yours to the list for the type. */
export const DOMAIN_EVENT_HANDLERS: DomainEventHandlers = {
  'message.inbound': [optOut.inbound, onInboundOptOut],
  'message.status': [],
  'message.window_closed': [onWindowClosed],
  'template.status': [onTemplateStatus],
  'template.quality': [onTemplateQuality],
  'phone_number.quality': [],
  'contact.marketing_stopped': [optOut.marketingStopped, onMarketingStopped],
};

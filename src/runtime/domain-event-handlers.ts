import type { DomainEventHandlers } from './domain-events.js';
import { onTemplateQuality, onTemplateStatus } from '../templates/status/status-handlers.js';
import { onMarketingStopped } from '../templates/variants/optout-handler.js';

/** Every module's reactions to domain events, by type. Append yours to the list for the type. */
export const DOMAIN_EVENT_HANDLERS: DomainEventHandlers = {
  'message.inbound': [],
  'message.status': [],
  'template.status': [onTemplateStatus],
  'template.quality': [onTemplateQuality],
  'phone_number.quality': [],
  'contact.marketing_stopped': [onMarketingStopped],
};

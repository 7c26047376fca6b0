import type { DomainEventHandlers } from './domain-events.js';

/** Every module's reactions to domain events, by type. Append yours to the list for the type. */
export const DOMAIN_EVENT_HANDLERS: DomainEventHandlers = {
  'message.inbound': [],
  'message.status': [],
  'template.status': [],
  'template.quality': [],
  'phone_number.quality': [],
  'contact.marketing_stopped': [],
};

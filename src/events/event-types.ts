import { CONVERSATION_EVENT_TYPES } from '../conversations/state-machine.js';

/**
 * The event types business systems can subscribe to. Each is made from a domain event in
 * `publish-domain-event.ts`: a new type is added here, mapped there, and its `data` documented in
 * README.md under "Event webhooks".
 */
export const EVENT_TYPES = [
  'message.status',
  'message.inbound',
  'template.alert',
  'sender.health',
  // One per entry of a conversation's history.
  ...CONVERSATION_EVENT_TYPES,
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export const isEventType = (value: string): value is EventType => (EVENT_TYPES as readonly string[]).includes(value);

/** The families a subscription can take whole with a wildcard: `conversation.*` is every conversation event, today's and later ones. */
export const EVENT_TYPE_FAMILIES = ['conversation.*'] as const;

/** What a subscription's `eventTypes` may list: a type, or a family's wildcard. */
export const isSubscribable = (value: string): boolean => isEventType(value) || (EVENT_TYPE_FAMILIES as readonly string[]).includes(value);

/** Whether a subscription listing `eventTypes` receives an event of this type (by name, or by its family's wildcard). */
export function subscriptionWants(eventTypes: readonly string[], type: EventType): boolean {
  return eventTypes.includes(type) || eventTypes.includes(`${type.slice(0, type.indexOf('.'))}.*`);
}

/**
 * The event types business systems can subscribe to. Each is made from a domain event in
 * `publish-domain-event.ts`: a new type is added here, mapped there, and its `data` documented in
 * README.md under "Event webhooks".
 */
export const EVENT_TYPES = ['message.status', 'message.inbound', 'template.alert', 'sender.health'] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export const isEventType = (value: string): value is EventType => (EVENT_TYPES as readonly string[]).includes(value);

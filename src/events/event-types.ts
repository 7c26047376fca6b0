/**
 * The event types business systems can subscribe to. Modules that publish a new type add it here
 * (and document its `data` in README.md under "Event webhooks").
 */
export const EVENT_TYPES = ['message.status', 'message.inbound', 'template.alert', 'sender.health'] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export const isEventType = (value: string): value is EventType => (EVENT_TYPES as readonly string[]).includes(value);

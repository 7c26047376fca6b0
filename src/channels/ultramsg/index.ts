/**
 * WhatsApp through UltraMsg (a linked WhatsApp account): the adapter and its capabilities, as the
 * registry builds them. Folder shape (the same in every provider folder): `capabilities.ts`, `client/`
 * (sending, instance and message-list reads), `errors.ts` (error classes), `webhook/` (reading
 * deliveries, media); here also the queue, pacing and instance-session rules UltraMsg needs.
 */
export { UltraMsgAdapter } from './client/ultramsg-adapter.js';
export { ULTRAMSG_CAPABILITIES } from './capabilities.js';

/**
 * WhatsApp through Meta's Cloud API: the adapter and its capabilities, as the registry builds them.
 * Folder shape (the same in every provider folder): `capabilities.ts`, `client/` (sending),
 * `errors.ts` (error table), `webhook/` (reading deliveries, media); here also `templates/`
 * (template management through the Graph API).
 */
export { CloudAdapter } from './client/cloud-adapter.js';
export { CLOUD_CAPABILITIES } from './capabilities.js';

import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { webhookApiRoutes } from './api-routes.js';
import { providerWebhookRoutes } from './provider-routes.js';

// Webhook ingestion (M1.5): the provider endpoints in their own encapsulated plugin (raw-body
// parsing stays there), and the health API beside them.
export async function webhookRoutes(app: ParleyApp, ctx: ParleyContext) {
  await app.register(async (scoped) => providerWebhookRoutes(scoped as ParleyApp, ctx));
  await webhookApiRoutes(app, ctx);
}

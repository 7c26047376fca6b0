import type { ParleyApp } from './types.js';
import type { ParleyContext } from '../runtime/context.js';
import { operationsRoutes } from '../operations/routes.js';
import { workspaceRoutes } from '../workspaces/routes.js';
import { contactRoutes } from '../contacts/routes.js';
import { consentRoutes } from '../consent/routes.js';
import { preferenceRoutes } from '../preferences/routes.js';
import { privacyRoutes } from '../privacy/routes.js';
import { templateRoutes } from '../templates/routes/template-routes.js';
import { intentRoutes } from '../templates/routes/intent-routes.js';
import { senderRoutes } from '../senders/routes.js';
import { senderQrRoutes } from '../senders/qr-routes.js';
import { outboundRoutes } from '../outbound/routes.js';
import { gatewayRoutes } from '../outbound/gateway/routes.js';
import { webhookRoutes } from '../webhooks/routes.js';
import { eventRoutes } from '../events/routes.js';

/** Every module's routes. A module exports one `(app, ctx) => void` and is listed here. */
export const ROUTE_MODULES: Array<(app: ParleyApp, ctx: ParleyContext) => Promise<void> | void> = [
  operationsRoutes,
  workspaceRoutes,
  contactRoutes,
  consentRoutes,
  preferenceRoutes,
  privacyRoutes,
  templateRoutes,
  intentRoutes,
  senderRoutes,
  senderQrRoutes,
  outboundRoutes,
  gatewayRoutes,
  webhookRoutes,
  eventRoutes,
];

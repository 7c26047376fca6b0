import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';
import { suppressionGate } from './gates/suppression-gate.js';
import { validityGate } from './gates/validity-gate.js';
import { windowGate } from './gates/window-gate.js';
import { onWindowClosed } from './window-closed.js';

/**
 * Outbound (M1): the send API and the Cloud-API-compatible gateway, its own gates, and the resend of a
 * message refused for a closed window. Its dispatcher is wired at the root (`main/modules.ts`),
 * because it hands outcomes to the webhook module.
 */
export const outboundManifest: ModuleManifest = {
  name: 'outbound',
  // The send routes first: the composition root registers the messages module's routes right after them.
  routes: [lazyRoutes(() => import('./routes.js').then((m) => m.sendRoutes)), lazyRoutes(() => import('./gateway/routes.js').then((m) => m.gatewayRoutes))],
  gates: [validityGate, suppressionGate, windowGate],
  afterCommit: { 'message.window_closed': [onWindowClosed] },
};

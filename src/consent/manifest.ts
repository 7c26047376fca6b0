import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';
import { consentGate } from './consent-gate.js';
import { createOptOutHandlers } from './opt-out-handlers.js';
import type { PreferenceLinkFor, SendConfirmation } from './send-confirmation.js';

/**
 * Consent (M2): its routes, its gate, and its reactions to opt-out / opt-in keywords and buttons and
 * to WhatsApp's marketing-stop signals. The confirmation it sends goes through `sendConfirmation`,
 * a port the root fills with the outbound module's implementation, with a link to the preference
 * page from `preferenceLink` (the preferences module's).
 */
export function consentManifest(deps: { sendConfirmation: SendConfirmation; preferenceLink: PreferenceLinkFor }): ModuleManifest {
  const optOut = createOptOutHandlers(deps.sendConfirmation, deps.preferenceLink);
  return {
    name: 'consent',
    routes: [lazyRoutes(() => import('./routes.js').then((m) => m.consentRoutes))],
    gates: [consentGate],
    afterCommit: { 'message.inbound': [optOut.inbound], 'contact.marketing_stopped': [optOut.marketingStopped] },
  };
}

import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';

/**
 * The bot (M4): flows that answer a sender's new conversations before people do. For now its API:
 * flows, their drafts and immutable published versions (`flow-routes.ts`), and where each answers
 * (`flow-assignment-routes.ts`).
 */
export const botManifest: ModuleManifest = {
  name: 'bot',
  routes: [
    lazyRoutes(() => import('./flow-routes.js').then((m) => m.flowRoutes)),
    lazyRoutes(() => import('./flow-assignment-routes.js').then((m) => m.flowAssignmentRoutes)),
  ],
};

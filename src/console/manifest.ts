import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';

/** The web console (M11): its built single-page app, served under /console/ by the API process. */
export const consoleManifest: ModuleManifest = { name: 'console', routes: [lazyRoutes(() => import('./routes.js').then((m) => m.consoleRoutes))] };

import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';

export const preferencesManifest: ModuleManifest = { name: 'preferences', routes: [lazyRoutes(() => import('./routes.js').then((m) => m.preferenceRoutes))] };

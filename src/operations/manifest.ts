import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';

export const operationsManifest: ModuleManifest = { name: 'operations', routes: [lazyRoutes(() => import('./routes.js').then((m) => m.operationsRoutes))] };

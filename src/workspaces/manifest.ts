import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';

export const workspacesManifest: ModuleManifest = { name: 'workspaces', routes: [lazyRoutes(() => import('./routes.js').then((m) => m.workspaceRoutes))] };

import type { ModuleManifest } from '../manifest/module-manifest.js';
import { workspaceRoutes } from './routes.js';

export const workspacesManifest: ModuleManifest = { name: 'workspaces', routes: [workspaceRoutes] };

import type { ModuleManifest } from '../runtime/manifest.js';
import { workspaceRoutes } from './routes.js';

export const workspacesManifest: ModuleManifest = { name: 'workspaces', routes: [workspaceRoutes] };

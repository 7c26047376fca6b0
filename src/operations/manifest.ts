import type { ModuleManifest } from '../manifest/module-manifest.js';
import { operationsRoutes } from './routes.js';

export const operationsManifest: ModuleManifest = { name: 'operations', routes: [operationsRoutes] };

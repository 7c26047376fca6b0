import type { ModuleManifest } from '../runtime/manifest.js';
import { operationsRoutes } from './routes.js';

export const operationsManifest: ModuleManifest = { name: 'operations', routes: [operationsRoutes] };

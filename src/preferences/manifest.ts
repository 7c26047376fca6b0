import type { ModuleManifest } from '../runtime/manifest.js';
import { preferenceRoutes } from './routes.js';

export const preferencesManifest: ModuleManifest = { name: 'preferences', routes: [preferenceRoutes] };

import type { ModuleManifest } from '../manifest/module-manifest.js';
import { preferenceRoutes } from './routes.js';

export const preferencesManifest: ModuleManifest = { name: 'preferences', routes: [preferenceRoutes] };

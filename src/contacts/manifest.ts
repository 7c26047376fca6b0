import type { ModuleManifest } from '../runtime/manifest.js';
import { contactRoutes } from './routes.js';

export const contactsManifest: ModuleManifest = { name: 'contacts', routes: [contactRoutes] };

import type { ModuleManifest } from '../manifest/module-manifest.js';
import { contactRoutes } from './routes.js';

export const contactsManifest: ModuleManifest = { name: 'contacts', routes: [contactRoutes] };
